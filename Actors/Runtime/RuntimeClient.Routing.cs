namespace TinyKv.Actors.Runtime;

/// <summary>
/// Routing on a silo: a local activation if there is one; else the directory's entry if its silo
/// lives; else placement. The directory's RegisterAsync decides races, so two silos placing the
/// same grain at once end with one activation and the loser forwards its queued calls.
/// </summary>
internal sealed partial class RuntimeClient
{
    public void Route(Message message)
    {
        if (Catalog!.TryDeliverExisting(message) || TryForwardToKnownActivation(message))
        {
            return;
        }

        var routed = RouteAsync(message);
        if (!routed.IsCompletedSuccessfully)
        {
            _ = ObserveRouteAsync(message, routed);
        }
    }

    /// <summary>
    /// The usual call to a grain active on another silo, decided without the asynchronous path: the
    /// directory's entry as this process already knows it, on a silo that lives. The same decision as
    /// <see cref="RouteAsync"/>'s for such an entry (only registered grains have entries, so the grain's
    /// class was valid and is not a stateless worker); anything else takes that path.
    /// </summary>
    private bool TryForwardToKnownActivation(Message message)
    {
        if (!_directory!.TryLookupCached(message.TargetGrain, out var entry) || entry.Silo == LocalAddress || Membership.Current.IsDead(entry.Silo))
        {
            return false;
        }

        Forward(message, entry.Silo);
        return true;
    }

    /// <summary>Routes a message again after its activation went away.</summary>
    public void Reroute(Message message)
    {
        message.TargetSilo = null;
        Route(message);
    }

    /// <summary>Passes a request on to <paramref name="silo"/>; fails it when it has been passed on too often.</summary>
    public void Forward(Message message, SiloAddress silo)
    {
        if (silo == LocalAddress)
        {
            Reroute(message);
            return;
        }

        if (message.Sender != LocalAddress && ++message.ForwardCount > _messaging.MaxForwardCount)
        {
            SendResponse(message, null, new SiloUnavailableException($"{message.Method} to {message.TargetGrain} was forwarded {message.ForwardCount} times; giving up."));
            return;
        }

        message.TargetSilo = silo;
        SendRequest(message, silo);
    }

    /// <summary>Registers an activation; an entry on a silo membership declared dead is taken over.</summary>
    public async ValueTask<GrainAddress> RegisterAsync(GrainAddress address, GrainAddress? previous)
    {
        for (int attempt = 0; ; attempt++)
        {
            var winner = await _directory!.RegisterAsync(address, previous);
            if (winner == address || attempt >= 3 || !Membership.Current.IsDead(winner.Silo))
            {
                return winner;
            }

            previous = winner;
        }
    }

    public ValueTask UnregisterAsync(GrainAddress address) => _directory!.UnregisterAsync(address);

    /// <summary>Routes a message that no local activation took (see <see cref="Route"/>).</summary>
    private async ValueTask RouteAsync(Message message)
    {
        var catalog = Catalog!;
        GrainClassInfo classInfo;
        try
        {
            classInfo = GrainClassRegistry.ForGrainType(message.TargetGrain.Type);
        }
        catch (InvalidOperationException e)
        {
            SendResponse(message, null, e);
            return;
        }

        var snapshot = Membership.Current;
        if (classInfo.IsStatelessWorker)
        {
            if (catalog.AcceptsActivations)
            {
                catalog.DeliverToWorker(message, classInfo);
            }
            else
            {
                Forward(message, _placement!.Place(RandomPlacement.Instance, message.TargetGrain, message.Values, snapshot, excludeLocal: true));
            }

            return;
        }

        GrainAddress? previous = null;
        var entry = await _directory!.LookupAsync(message.TargetGrain);
        if (entry is not null)
        {
            if (entry.Silo != LocalAddress && !snapshot.IsDead(entry.Silo))
            {
                Forward(message, entry.Silo);
                return;
            }

            previous = entry;
        }

        var target = message.TargetSilo == LocalAddress && catalog.AcceptsActivations
            ? LocalAddress
            : _placement!.Place(classInfo.Placement, message.TargetGrain, message.Values, snapshot, excludeLocal: !catalog.AcceptsActivations);
        if (target == LocalAddress)
        {
            catalog.ActivateAndDeliver(message, classInfo, previous);
        }
        else
        {
            Forward(message, target);
        }
    }

    private async Task ObserveRouteAsync(Message message, ValueTask routed)
    {
        try
        {
            await routed;
        }
        catch (Exception e)
        {
            Log.RoutingFailed(message.TargetGrain, e);
            SendResponse(message, null, e);
        }
    }
}
