namespace TinyKv.Actors;

/// <summary>
/// Runs around every call a grain receives, inside the grain's turn. Registered on the silo, or
/// implemented by the grain class itself (then it runs last, nearest the call).
/// </summary>
public interface IIncomingGrainCallFilter
{
#pragma warning disable VSTHRD200 // Orleans' name: filters written for Orleans compile unchanged.
    Task Invoke(IIncomingGrainCallContext context);
#pragma warning restore VSTHRD200
}
