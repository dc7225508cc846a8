using TinyKv.Storage;
using TinyKv.Transactions.Actions;

namespace TinyKv.Transactions.Commands;

public sealed partial class TxnStore
{
    /// <summary>
    /// Prewrites <paramref name="mutations"/> for the transaction of <paramref name="props"/>
    /// (<see cref="TxnActions.Prewrite"/> per key). All or nothing: when any key fails, nothing is
    /// written and every key's error is returned (the client resolves all the locks it met at once).
    /// Several mutations of one key collapse to the last, so a key has one lock kind and one value.
    /// </summary>
    /// <remarks>The command may read <paramref name="mutations"/> until it completes: do not change the list meanwhile.</remarks>
    /// <returns>The errors, in mutation order; empty on success (also for no mutations).</returns>
    public ValueTask<IReadOnlyList<TxnError>> PrewriteAsync(
        IReadOnlyList<Mutation> mutations,
        TxnProps props,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mutations);
        ArgumentNullException.ThrowIfNull(props);
        if (Validate(mutations, props) is { } invalid)
        {
            return new([invalid]);
        }

        var unique = LastPerKey(mutations);
        if (unique.Count == 0)
        {
            return new(Array.Empty<TxnError>());
        }

        var context = _contexts.Rent();
        int[] slots = context.SlotsFor(unique.Count);
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = Latches.SlotOf(unique[i].Key);
        }

        return ExecuteAsync(
            context,
            props.StartTs,
            (unique, props, ShortValueMaxLength),
            static (txn, reader, s) =>
            {
                List<TxnError>? errors = null;
                for (int i = 0; i < s.unique.Count; i++)
                {
                    if (TxnActions.Prewrite(txn, reader, s.props, s.unique[i], s.ShortValueMaxLength) is { } error)
                    {
                        (errors ??= []).Add(error);
                    }
                }

                if (errors is null)
                {
                    return (IReadOnlyList<TxnError>)Array.Empty<TxnError>();
                }

                txn.Discard();
                return errors;
            },
            cancellationToken);
    }

    private static InvalidRequest? Validate(IReadOnlyList<Mutation> mutations, TxnProps props)
    {
        if (props.StartTs.IsZero || props.StartTs == TimeStamp.Max)
        {
            return new InvalidRequest($"start ts {props.StartTs} is not a transaction timestamp");
        }

        if (props.Primary is null || props.Primary.Length > StorageLimits.MaxKeySize)
        {
            return new InvalidRequest("the primary key is missing or too large");
        }

        for (int i = 0; i < mutations.Count; i++)
        {
            var m = mutations[i];
            if (m.Key is null || m.Key.Length > StorageLimits.MaxKeySize)
            {
                return new InvalidRequest("a mutation key is missing or too large");
            }

            if (!Enum.IsDefined(m.Kind))
            {
                return new InvalidRequest($"mutation of key {Convert.ToHexString(m.Key)} has unknown kind {m.Kind}");
            }

            if (m.Kind == MutationKind.Put && (m.Value is null || m.Value.Length > StorageLimits.MaxValueSize))
            {
                return new InvalidRequest($"Put of key {Convert.ToHexString(m.Key)} has no value or one too large");
            }
        }

        return null;
    }

    /// <summary>
    /// The last mutation of each key, in order of each key's first appearance: the input itself when
    /// no key repeats (the common case, checked without allocating for small batches).
    /// </summary>
    private static IReadOnlyList<Mutation> LastPerKey(IReadOnlyList<Mutation> mutations)
    {
        const int smallBatch = 8;
        if (mutations.Count <= smallBatch)
        {
            return HasRepeatedKey(mutations) ? LastPerKeyByScan(mutations) : mutations;
        }

        var unique = new List<Mutation>(mutations.Count);
        var index = new Dictionary<byte[], int>(mutations.Count, ByteArrayComparer.Instance);
        for (int i = 0; i < mutations.Count; i++)
        {
            var m = mutations[i];
            if (index.TryGetValue(m.Key, out int at))
            {
                unique[at] = m;
            }
            else
            {
                index[m.Key] = unique.Count;
                unique.Add(m);
            }
        }

        return unique.Count == mutations.Count ? mutations : unique;
    }

    private static bool HasRepeatedKey(IReadOnlyList<Mutation> mutations)
    {
        for (int i = 1; i < mutations.Count; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (mutations[i].Key.AsSpan().SequenceEqual(mutations[j].Key))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static List<Mutation> LastPerKeyByScan(IReadOnlyList<Mutation> mutations)
    {
        var unique = new List<Mutation>(mutations.Count);
        for (int i = 0; i < mutations.Count; i++)
        {
            var m = mutations[i];
            int at = 0;
            while (at < unique.Count && !unique[at].Key.AsSpan().SequenceEqual(m.Key))
            {
                at++;
            }

            if (at < unique.Count)
            {
                unique[at] = m;
            }
            else
            {
                unique.Add(m);
            }
        }

        return unique;
    }
}
