namespace TinyKv.Actors.Membership;

/// <summary>
/// One node's view of the membership table: the latest snapshot it read, never going back to an
/// older table version, and a <see cref="Changed"/> event raised in version order.
/// </summary>
internal sealed class MembershipService(IMembershipTable table)
{
    private readonly object _gate = new();
    private MembershipSnapshot _current = MembershipSnapshot.Empty;

    public IMembershipTable Table { get; } = table;

    public MembershipSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Raised with (previous, current), under the service's lock: handlers must be quick and not block.</summary>
    public event Action<MembershipSnapshot, MembershipSnapshot>? Changed;

    public async Task<MembershipTableData> RefreshAsync()
    {
        var data = await Table.ReadAllAsync();
        Apply(data);
        return data;
    }

    public void Apply(MembershipTableData data)
    {
        lock (_gate)
        {
            if (data.Version.Version <= _current.Version)
            {
                return;
            }

            var previous = _current;
            var next = new MembershipSnapshot(data.Version.Version, data.Members.Select(m => m.Entry));
            Volatile.Write(ref _current, next);
            Changed?.Invoke(previous, next);
        }
    }
}
