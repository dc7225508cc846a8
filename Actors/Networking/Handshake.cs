using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using TinyKv.Actors.Wire;

namespace TinyKv.Actors.Networking;

/// <summary>
/// The connection handshake (protocol version 2: envelopes may leave the addresses the connection
/// names implied, see <see cref="FramedConnection.Write"/>; version 1 required them). Dialer → Hello(cluster id, address, nonce D); acceptor →
/// Challenge(address, nonce A, proof A) or a refusal; dialer → Proof(proof D); acceptor → Welcome
/// or a refusal. proof X = HMAC-SHA256(secret, role X | cluster id | dialer address | nonce D | nonce A):
/// each side shows it knows the secret without sending it, and a recorded handshake cannot be
/// replayed because the other side's nonce is fresh. Without a configured secret the key is empty,
/// so two nodes agree only when both have no secret. Both sides refuse a different cluster id.
/// </summary>
internal static class Handshake
{
    public const uint ProtocolVersion = 3;

    /// <summary>Handshake frames are small; anything larger is refused before parsing.</summary>
    public const int MaxFrameSize = 4096;

    private const int NonceSize = 32;

    /// <summary>Runs the dialer's side; returns the acceptor's address, or throws <see cref="HandshakeRefusedException"/> (refused, or an acceptor failing its proof) or <see cref="IOException"/> (the connection closed).</summary>
    public static async Task<SiloAddress> DialAsync(IDuplexPipe pipe, TcpTransportOptions options, SiloAddress local, bool acceptsConnections, CancellationToken cancellationToken)
    {
        byte[] dialerNonce = RandomNumberGenerator.GetBytes(NonceSize);
        await SendAsync(pipe.Output, new Hello
        {
            ProtocolVersion = ProtocolVersion,
            ClusterId = options.ClusterId,
            Address = Write(local),
            Nonce = ByteString.CopyFrom(dialerNonce),
            AcceptsConnections = acceptsConnections,
        }, cancellationToken);
        var challenge = await FrameCodec.ReadOneAsync(pipe.Input, Challenge.Parser, MaxFrameSize, cancellationToken)
            ?? throw new IOException("the acceptor closed the connection during the handshake");
        if (challenge.Refused)
        {
            throw new HandshakeRefusedException($"refused by the acceptor: {challenge.Reason}");
        }

        if (challenge.Address is null || challenge.Nonce.Length != NonceSize)
        {
            throw new HandshakeRefusedException("malformed challenge");
        }

        var acceptor = Read(challenge.Address);
        byte[] acceptorNonce = challenge.Nonce.ToByteArray();
        byte[] expected = ComputeProof(options, "acceptor", local, dialerNonce, acceptorNonce);
        if (!CryptographicOperations.FixedTimeEquals(expected, challenge.Proof.Span))
        {
            throw new HandshakeRefusedException($"{acceptor} failed to prove the shared secret");
        }

        await SendAsync(pipe.Output, new Proof { Proof_ = ByteString.CopyFrom(ComputeProof(options, "dialer", local, dialerNonce, acceptorNonce)) }, cancellationToken);
        var welcome = await FrameCodec.ReadOneAsync(pipe.Input, Welcome.Parser, MaxFrameSize, cancellationToken)
            ?? throw new IOException("the acceptor closed the connection during the handshake");
        if (welcome.Refused)
        {
            throw new HandshakeRefusedException($"refused by {acceptor}: {welcome.Reason}");
        }

        return acceptor;
    }

    /// <summary>Runs the acceptor's side; returns the dialer's identity, or throws <see cref="HandshakeRefusedException"/> after telling the dialer why.</summary>
    public static async Task<(SiloAddress Dialer, bool AcceptsConnections)> AcceptAsync(IDuplexPipe pipe, TcpTransportOptions options, SiloAddress local, CancellationToken cancellationToken)
    {
        var hello = await FrameCodec.ReadOneAsync(pipe.Input, Hello.Parser, MaxFrameSize, cancellationToken)
            ?? throw new HandshakeRefusedException("the dialer closed the connection before its hello");
        string? problem = hello.ProtocolVersion != ProtocolVersion ? $"protocol version {hello.ProtocolVersion}, expected {ProtocolVersion}"
            : !string.Equals(hello.ClusterId, options.ClusterId, StringComparison.Ordinal) ? $"cluster id '{hello.ClusterId}' is not '{options.ClusterId}'"
            : hello.Address is null || hello.Nonce.Length != NonceSize ? "malformed hello"
            : null;
        if (problem is not null)
        {
            await SendAsync(pipe.Output, new Challenge { Refused = true, Reason = problem }, cancellationToken);
            throw new HandshakeRefusedException(problem);
        }

        var dialer = Read(hello.Address!);
        byte[] dialerNonce = hello.Nonce.ToByteArray();
        byte[] acceptorNonce = RandomNumberGenerator.GetBytes(NonceSize);
        await SendAsync(pipe.Output, new Challenge
        {
            Address = Write(local),
            Nonce = ByteString.CopyFrom(acceptorNonce),
            Proof = ByteString.CopyFrom(ComputeProof(options, "acceptor", dialer, dialerNonce, acceptorNonce)),
        }, cancellationToken);
        var proof = await FrameCodec.ReadOneAsync(pipe.Input, Proof.Parser, MaxFrameSize, cancellationToken)
            ?? throw new HandshakeRefusedException($"{dialer} closed the connection before its proof");
        byte[] expected = ComputeProof(options, "dialer", dialer, dialerNonce, acceptorNonce);
        if (!CryptographicOperations.FixedTimeEquals(expected, proof.Proof_.Span))
        {
            await SendAsync(pipe.Output, new Welcome { Refused = true, Reason = "wrong shared secret" }, cancellationToken);
            throw new HandshakeRefusedException($"{dialer} failed to prove the shared secret");
        }

        await SendAsync(pipe.Output, new Welcome(), cancellationToken);
        return (dialer, hello.AcceptsConnections);
    }

    public static NodeAddress Write(SiloAddress address) => new() { Host = address.Host, Port = address.Port, Generation = address.Generation };

    public static SiloAddress Read(NodeAddress address) => new(address.Host, address.Port, address.Generation);

    private static byte[] ComputeProof(TcpTransportOptions options, string role, SiloAddress dialer, byte[] dialerNonce, byte[] acceptorNonce)
    {
        byte[] key = Encoding.UTF8.GetBytes(options.SharedSecret ?? string.Empty);
        byte[] text = Encoding.UTF8.GetBytes($"tinykv-handshake-v{ProtocolVersion}|{role}|{options.ClusterId}|{dialer}|");
        byte[] data = [.. text, .. dialerNonce, .. acceptorNonce];
        return HMACSHA256.HashData(key, data);
    }

    private static async ValueTask SendAsync(PipeWriter output, IMessage message, CancellationToken cancellationToken)
    {
        FrameCodec.Write(output, message);
        await output.FlushAsync(cancellationToken);
    }
}

/// <summary>A handshake did not complete: wrong cluster id, wrong secret, malformed or cut short.</summary>
public sealed class HandshakeRefusedException : Exception
{
    public HandshakeRefusedException()
    {
    }

    public HandshakeRefusedException(string message)
        : base(message)
    {
    }

    public HandshakeRefusedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
