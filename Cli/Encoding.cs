namespace TinyKv.Cli;

/// <summary>Keys and values on the command line and in output: UTF-8 text, or hex with --hex.</summary>
internal sealed record Encoding(bool Hex)
{
    public byte[] Parse(string text, string what)
    {
        if (!Hex)
        {
            return System.Text.Encoding.UTF8.GetBytes(text);
        }

        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw new UsageException($"{what} '{text}' is not hex");
        }
    }

    public string Format(byte[] bytes) => Hex ? Convert.ToHexStringLower(bytes) : System.Text.Encoding.UTF8.GetString(bytes);
}
