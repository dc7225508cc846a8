using Microsoft.Extensions.Logging;

namespace TinyKv.Actors.Networking;

/// <summary>TCP transport log events: ids 1300-1399.</summary>
internal static partial class NetworkLog
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "{Local} listening on {Endpoint}")]
    public static partial void Listening(this ILogger logger, SiloAddress local, string endpoint);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "{Local} refused a connection from {RemoteEndpoint}: {Reason}")]
    public static partial void HandshakeRefused(this ILogger logger, SiloAddress local, string remoteEndpoint, string reason);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "{Local} could not connect to {Remote}: {Reason}")]
    public static partial void ConnectFailed(this ILogger logger, SiloAddress local, SiloAddress remote, string reason);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "{Local} closed the connection with {Remote}: {Reason}")]
    public static partial void ProtocolViolation(this ILogger logger, SiloAddress local, string remote, string reason);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Debug, Message = "{Local} connected to {Remote} ({Direction})")]
    public static partial void Connected(this ILogger logger, SiloAddress local, SiloAddress remote, string direction);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Debug, Message = "{Local} lost the connection with {Remote}")]
    public static partial void Disconnected(this ILogger logger, SiloAddress local, SiloAddress remote);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Warning, Message = "{Local} dropped {Count} envelopes for {Remote}: {Reason}")]
    public static partial void Dropped(this ILogger logger, SiloAddress local, SiloAddress remote, int count, string reason);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Error, Message = "{Local} did not send an envelope of {Size} bytes to {Remote}: above the maximum frame size {Max}")]
    public static partial void FrameTooLargeToSend(this ILogger logger, SiloAddress local, SiloAddress remote, int size, int max);
}
