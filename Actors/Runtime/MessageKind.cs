namespace TinyKv.Actors.Runtime;

internal enum MessageKind
{
    Request,
    OneWay,
    Response,
    TimerTick,
}
