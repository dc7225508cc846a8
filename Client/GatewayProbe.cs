using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using TinyKv.Actors;
using TinyKv.Actors.Wire;

namespace TinyKv.Client;

/// <summary>
/// Learns a silo's current address (host, port, generation) by running the dialer's side of the
/// transport handshake (Actors/Protos/handshake.proto, version 1) on a short-lived connection: a
/// client given only "host:port" needs the generation to address the silo, and a refused cluster id
/// or secret surfaces here, before any call.
/// </summary>
internal static class GatewayProbe
{
    private const uint ProtocolVersion = 1;
    private const int NonceSize = 32;
    private const int MaxFrameSize = 4096;

    /// <summary>The silo's address; throws <see cref="TinyKvUnavailableException"/> when unreachable or refused.</summary>
    public static async Task<SiloAddress> ProbeAsync(GatewayEndpoint endpoint, TinyKvClientOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var self = new SiloAddress("probe", 0, RandomNumberGenerator.GetInt32(1, int.MaxValue));
            byte[] dialerNonce = RandomNumberGenerator.GetBytes(NonceSize);
            await WriteAsync(stream, new Hello
            {
                ProtocolVersion = ProtocolVersion,
                ClusterId = options.ClusterId,
                Address = new NodeAddress { Host = self.Host, Port = self.Port, Generation = self.Generation },
                Nonce = ByteString.CopyFrom(dialerNonce),
                AcceptsConnections = false,
            }, timeout.Token);
            var challenge = await ReadAsync(stream, Challenge.Parser, timeout.Token);
            if (challenge.Refused)
            {
                throw new TinyKvUnavailableException($"{endpoint} refused the connection: {challenge.Reason}") { Refused = true };
            }

            if (challenge.Address is null || challenge.Nonce.Length != NonceSize)
            {
                throw new TinyKvUnavailableException($"{endpoint} sent a malformed handshake");
            }

            var silo = new SiloAddress(challenge.Address.Host, challenge.Address.Port, challenge.Address.Generation);
            byte[] acceptorNonce = challenge.Nonce.ToByteArray();
            if (!CryptographicOperations.FixedTimeEquals(Proof(options, "acceptor", self, dialerNonce, acceptorNonce), challenge.Proof.Span))
            {
                throw new TinyKvUnavailableException($"{endpoint} failed to prove the shared secret") { Refused = true };
            }

            await WriteAsync(stream, new Proof { Proof_ = ByteString.CopyFrom(Proof(options, "dialer", self, dialerNonce, acceptorNonce)) }, timeout.Token);
            var welcome = await ReadAsync(stream, Welcome.Parser, timeout.Token);
            if (welcome.Refused)
            {
                throw new TinyKvUnavailableException($"{endpoint} refused the connection: {welcome.Reason}") { Refused = true };
            }

            return silo;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or InvalidProtocolBufferException && !cancellationToken.IsCancellationRequested)
        {
            throw new TinyKvUnavailableException($"cannot reach {endpoint}: {e.Message}", e);
        }
    }

    /// <summary>The transport's proof: HMAC-SHA256(secret, "tinykv-handshake-v1|role|cluster|dialer|" + nonces).</summary>
    private static byte[] Proof(TinyKvClientOptions options, string role, SiloAddress dialer, byte[] dialerNonce, byte[] acceptorNonce)
    {
        byte[] key = Encoding.UTF8.GetBytes(options.SharedSecret ?? string.Empty);
        byte[] text = Encoding.UTF8.GetBytes($"tinykv-handshake-v{ProtocolVersion}|{role}|{options.ClusterId}|{dialer}|");
        byte[] data = [.. text, .. dialerNonce, .. acceptorNonce];
        return HMACSHA256.HashData(key, data);
    }

    private static async Task WriteAsync(Stream stream, IMessage message, CancellationToken cancellationToken)
    {
        byte[] frame = new byte[4 + message.CalculateSize()];
        BinaryPrimitives.WriteInt32LittleEndian(frame, frame.Length - 4);
        message.WriteTo(frame.AsSpan(4));
        await stream.WriteAsync(frame, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(Stream stream, MessageParser<T> parser, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        byte[] header = new byte[4];
        await stream.ReadExactlyAsync(header, cancellationToken);
        int length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length is < 0 or > MaxFrameSize)
        {
            throw new IOException($"handshake frame of {length} bytes");
        }

        byte[] payload = new byte[length];
        await stream.ReadExactlyAsync(payload, cancellationToken);
        return parser.ParseFrom(payload);
    }
}
