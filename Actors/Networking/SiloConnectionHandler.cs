using Microsoft.AspNetCore.Connections;

namespace TinyKv.Actors.Networking;

/// <summary>Kestrel's entry point for a silo port: every accepted connection runs the transport's acceptor side.</summary>
internal sealed class SiloConnectionHandler(TcpMessageTransport transport) : ConnectionHandler
{
    public override Task OnConnectedAsync(ConnectionContext connection) => transport.AcceptAsync(connection);
}
