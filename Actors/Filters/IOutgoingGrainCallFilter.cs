namespace TinyKv.Actors;

/// <summary>Runs around every call a node sends, on the caller's side, before routing.</summary>
public interface IOutgoingGrainCallFilter
{
#pragma warning disable VSTHRD200 // Orleans' name: filters written for Orleans compile unchanged.
    Task Invoke(IOutgoingGrainCallContext context);
#pragma warning restore VSTHRD200
}
