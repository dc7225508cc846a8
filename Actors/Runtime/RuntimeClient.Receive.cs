using TinyKv.Actors.Invocation;
using TinyKv.Actors.Wire;

namespace TinyKv.Actors.Runtime;

/// <summary>Receiving: envelopes from the transport.</summary>
internal sealed partial class RuntimeClient
{
    public void OnEnvelope(Envelope envelope)
    {
        if (_stopped || envelope.Sender is null)
        {
            return;
        }

        var sender = EnvelopeCodec.Read(envelope.Sender);
        if (envelope.TargetSilo is { } targetProto && !EnvelopeCodec.Is(targetProto, LocalAddress))
        {
            Log.WrongTarget(EnvelopeCodec.Read(targetProto).ToString(), LocalAddress);
            if (envelope.Kind == EnvelopeKind.Request)
            {
                SendEnvelope(sender, EnvelopeCodec.WriteResponse(envelope.Id, LocalAddress, sender, null, null,
                    new SiloUnavailableException($"Silo {EnvelopeCodec.Read(targetProto)} is gone; {LocalAddress} answered instead.")));
            }

            return;
        }

        if (Membership.Current.IsDead(sender))
        {
            return;
        }

        switch (envelope.Kind)
        {
            case EnvelopeKind.Request or EnvelopeKind.OneWay when Catalog is not null:
                ReceiveRequest(envelope, sender);
                break;
            case EnvelopeKind.Response:
                ReceiveResponse(envelope, sender);
                break;
            case EnvelopeKind.Ping when Agent is not null:
                SendEnvelope(sender, EnvelopeCodec.WriteControl(EnvelopeKind.Pong, envelope.Id, LocalAddress, sender));
                break;
            case EnvelopeKind.Pong when Agent is not null:
                Agent.OnPong(sender, envelope.Id);
                break;
            case EnvelopeKind.MembershipChanged when Agent is not null:
                Agent.OnMembershipChanged();
                break;
            default:
                Log.MalformedEnvelope(sender.ToString(), $"unexpected kind {envelope.Kind}");
                break;
        }
    }

    private void ReceiveRequest(Envelope envelope, SiloAddress sender)
    {
        Message message;
        try
        {
            message = EnvelopeCodec.ReadRequest(envelope, sender);
        }
        catch (Exception e) when (e is InvalidDataException or Google.Protobuf.InvalidProtocolBufferException or NotSupportedException)
        {
            Log.MalformedEnvelope(sender.ToString(), e.Message);
            if (envelope.Kind == EnvelopeKind.Request)
            {
                SendEnvelope(sender, EnvelopeCodec.WriteResponse(envelope.Id, LocalAddress, sender, null, null, e));
            }

            return;
        }

        Route(message);
    }

    /// <summary>Completes the call; a client also learns which silo answered for the grain (see <see cref="GrainLocationCache"/>).</summary>
    private void ReceiveResponse(Envelope envelope, SiloAddress sender)
    {
        if (!_callbacks.TryTake(envelope.Id, out var callback))
        {
            return;
        }

        if (envelope.Exception is { } exception)
        {
            var error = ExceptionCodec.Read(exception);
            if (Catalog is null && error is SiloUnavailableException)
            {
                _locations.Remove(callback.Target);
            }

            callback.SetException(error);
            return;
        }

        if (Catalog is null)
        {
            _locations.Set(callback.Target, sender);
        }

        try
        {
            callback.SetResult(callback.Method.ResultCodec?.Read(envelope.Result));
        }
        catch (Exception e) when (e is InvalidDataException or Google.Protobuf.InvalidProtocolBufferException or InvalidCastException)
        {
            callback.SetException(e);
        }
    }
}
