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
    /// <returns>The errors, in mutation order; empty on success (also for no mutations).</returns>
    public async ValueTask<IReadOnlyList<TxnError>> PrewriteAsync(
        IReadOnlyList<Mutation> mutations,
        TxnProps props,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mutations);
        ArgumentNullException.ThrowIfNull(props);
        if (Validate(mutations, props) is { } invalid)
        {
            return [invalid];
        }

        var unique = LastPerKey(mutations);
        if (unique.Count == 0)
        {
            return [];
        }

        return await ExecuteAsync(
            unique.Select(m => m.Key),
            props.StartTs,
            (txn, reader) =>
            {
                List<TxnError>? errors = null;
                foreach (var mutation in unique)
                {
                    if (TxnActions.Prewrite(txn, reader, props, mutation) is { } error)
                    {
                        (errors ??= []).Add(error);
                    }
                }

                if (errors is null)
                {
                    return (IReadOnlyList<TxnError>)[];
                }

                txn.Discard();
                return errors;
            },
            cancellationToken).ConfigureAwait(false);
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

        foreach (var m in mutations)
        {
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

    /// <summary>The last mutation of each key, in order of each key's first appearance.</summary>
    private static List<Mutation> LastPerKey(IReadOnlyList<Mutation> mutations)
    {
        const int smallBatch = 8;
        var unique = new List<Mutation>(mutations.Count);
        if (mutations.Count <= smallBatch)
        {
            foreach (var m in mutations)
            {
                int at = unique.FindIndex(u => u.Key.AsSpan().SequenceEqual(m.Key));
                if (at >= 0)
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

        var index = new Dictionary<byte[], int>(ByteArrayComparer.Instance);
        foreach (var m in mutations)
        {
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

        return unique;
    }
}
