using TinyKv.Actors.Filters;
using TinyKv.Actors.Invocation;
using TinyKv.Actors.Wire;

namespace TinyKv.Actors.Runtime;

/// <summary>Sending: calls from grain references, responses from activations, envelopes to connections.</summary>
internal sealed partial class RuntimeClient
{
    /// <summary>Called by a grain reference: returns the Task / ValueTask the interface method returns.</summary>
    public object Invoke(GrainId target, MethodDescriptor method, object?[] arguments)
    {
        var completion = method.CompletionFactory();
        var context = CallContext.Value;
        if (_outgoing.Count == 0)
        {
            Send(target, method, arguments, context, completion);
        }
        else
        {
            _ = SendThroughFiltersAsync(target, method, arguments, completion);
        }

        return completion.ReturnValue(method.ReturnKind);
    }

    /// <summary>The message is built after the filters ran, so a filter's RequestContext changes travel with it.</summary>
    private async Task SendThroughFiltersAsync(GrainId target, MethodDescriptor method, object?[] arguments, IResponseCompletion completion)
    {
        var call = new OutgoingGrainCallContext(target, method, arguments, _outgoing, async args =>
        {
            var inner = new ResponseCompletion<object?>();
            Send(target, method, args, CallContext.Value, inner);
            return await inner.Task;
        });
        try
        {
            await call.Invoke();
            completion.SetResult(call.Result);
        }
        catch (Exception e)
        {
            completion.SetException(e);
        }
    }

    private void Send(GrainId target, MethodDescriptor method, object?[] arguments, CallContext? context, IResponseCompletion completion)
    {
        if (_stopped)
        {
            completion.SetException(new SiloUnavailableException($"{LocalAddress} is stopped: it cannot call {target}."));
            return;
        }

        var message = new Message
        {
            Id = _ids.Next(),
            Kind = method.IsOneWay ? MessageKind.OneWay : MessageKind.Request,
            Sender = LocalAddress,
            TargetGrain = target,
            Method = method,
            Arguments = arguments,
            Values = context?.Values,
            CallChainId = context is { CallChainId: var chain } && chain != Guid.Empty ? chain : CallChainId.New(),
            IsReadOnly = method.IsReadOnly,
            IsAlwaysInterleave = method.IsAlwaysInterleave,
        };
        if (!method.IsOneWay)
        {
            completion.Arm(message.Id, method, target, Time.GetUtcNow() + _messaging.ResponseTimeout);
            _callbacks.Register(completion);
        }

        if (Catalog is null)
        {
            SendToGateway(message);
        }
        else
        {
            Route(message);
        }

        if (method.IsOneWay)
        {
            completion.SetResult(null);
        }
    }

    /// <summary>
    /// A client sends a call to the silo that last answered for the grain while that silo is Active in
    /// its view (a gateway it can connect to), else to an active silo chosen by the grain's hash; the
    /// receiving silo routes it on when the grain lives elsewhere.
    /// </summary>
    private void SendToGateway(Message message)
    {
        var snapshot = Membership.Current;
        if (_locations.TryGet(message.TargetGrain, out var host) && snapshot.GetStatus(host) == SiloStatus.Active)
        {
            SendRequest(message, host);
            return;
        }

        var silos = snapshot.ActiveSilos;
        if (silos.Count == 0)
        {
            SendResponse(message, null, new SiloUnavailableException($"No active silo to call {message.TargetGrain}."));
            return;
        }

        var gateway = silos[(int)(message.TargetGrain.GetStableHashCode() % (uint)silos.Count)];
        SendRequest(message, gateway);
    }

    /// <summary>Sends a request to another silo (copying it into an envelope); fails it at once when that silo is dead.</summary>
    private void SendRequest(Message message, SiloAddress silo)
    {
        if (Membership.Current.IsDead(silo))
        {
            SendResponse(message, null, new SiloUnavailableException($"Silo {silo} is dead: cannot deliver {message.Method} to {message.TargetGrain}."));
            return;
        }

        if (message.Sender == LocalAddress)
        {
            _callbacks.Retarget(message.Id, silo);
        }

        Envelope envelope;
        try
        {
            envelope = EnvelopeCodec.WriteRequest(message);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidCastException)
        {
            SendResponse(message, null, e);
            return;
        }

        SendEnvelope(silo, envelope);
    }

    /// <summary>Answers a request: completes a local caller directly, or sends a response envelope.</summary>
    public void SendResponse(Message request, object? result, Exception? exception)
    {
        if (request.Kind == MessageKind.OneWay)
        {
            if (exception is not null)
            {
                Log.OneWayFailed(request.Method?.ToString() ?? "?", request.TargetGrain, exception);
            }

            return;
        }

        if (request.Sender == LocalAddress)
        {
            if (_callbacks.TryTake(request.Id, out var callback))
            {
                if (exception is null)
                {
                    callback.SetResult(result);
                }
                else
                {
                    callback.SetException(exception);
                }
            }

            return;
        }

        SendEnvelope(request.Sender, EnvelopeCodec.WriteResponse(request.Id, LocalAddress, request.Sender, request.Method, result, exception));
    }

    public void SendPing(SiloAddress target, ulong round) =>
        SendEnvelope(target, EnvelopeCodec.WriteControl(EnvelopeKind.Ping, round, LocalAddress, target));

    public void SendMembershipChanged(SiloAddress target) =>
        SendEnvelope(target, EnvelopeCodec.WriteControl(EnvelopeKind.MembershipChanged, 0, LocalAddress, target));

    /// <summary>Hands an envelope to the connection to <paramref name="target"/>; a stopped node sends nothing (a crash is silent).</summary>
    private void SendEnvelope(SiloAddress target, Envelope envelope)
    {
        if (_stopped)
        {
            return;
        }

        if (!_connections.TryGetValue(target, out var connection))
        {
            connection = _connections.GetOrAdd(target, static (t, self) => self._transport.ConnectAsync(self.LocalAddress, t, CancellationToken.None).AsTask(), this);
        }

        if (connection.IsCompletedSuccessfully)
        {
            var sent = connection.GetAwaiter().GetResult().SendAsync(envelope, CancellationToken.None);
            if (sent.IsCompletedSuccessfully)
            {
                return;
            }

            _ = ObserveSendAsync(target, sent.AsTask());
            return;
        }

        _ = SendLaterAsync(target, connection, envelope);
    }

    private async Task SendLaterAsync(SiloAddress target, Task<IMessageConnection> connection, Envelope envelope)
    {
        try
        {
            await (await connection).SendAsync(envelope, CancellationToken.None);
        }
        catch (Exception e)
        {
            _connections.TryRemove(new KeyValuePair<SiloAddress, Task<IMessageConnection>>(target, connection));
            Log.RoutingFailed(GrainId.Create("transport", target.ToString()), e);
        }
    }

    private async Task ObserveSendAsync(SiloAddress target, Task sent)
    {
        try
        {
            await sent;
        }
        catch (Exception e)
        {
            _connections.TryRemove(target, out _);
            Log.RoutingFailed(GrainId.Create("transport", target.ToString()), e);
        }
    }
}
