namespace TinyKv.Storage.Faster;

public sealed partial class FasterKvEngine : IKvBorrowedReads
{
    /// <inheritdoc />
    /// <remarks>
    /// An inline value is lent from its version's array, which is immutable (README, "Few objects per
    /// key") and kept alive by the span itself; a value in the value store is copied, since FASTER's
    /// log is not stable memory. Same visibility as <see cref="IKvSnapshot.Get"/>.
    /// </remarks>
    public bool TryBorrow(IKvSnapshot snapshot, ColumnFamily cf, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        if (snapshot is not FasterSnapshot faster || faster.Engine != this)
        {
            throw new ArgumentException("the snapshot is not one of this engine", nameof(snapshot));
        }

        if (faster.VisibleValue(cf, key) is not { } version)
        {
            value = default;
            return false;
        }

        value = version.IsInline ? version.InlineValue : ReadValue(version);
        return true;
    }
}
