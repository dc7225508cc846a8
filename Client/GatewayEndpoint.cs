using System.Globalization;

namespace TinyKv.Client;

/// <summary>A silo's "host:port".</summary>
internal readonly record struct GatewayEndpoint(string Host, int Port)
{
    public static GatewayEndpoint Parse(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new ArgumentException($"endpoint '{text}' is not host:port");
        }

        return new GatewayEndpoint(text[..colon], port);
    }

    public override string ToString() => $"{Host}:{Port}";
}
