using System.Net;
using System.Net.Sockets;

namespace TinyKv.Service.Tests.EndToEnd;

/// <summary>Where the built silo and CLI are, and free loopback ports.</summary>
internal static class Artifacts
{
    private static readonly string Root = FindRoot();

    private static readonly string Configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    public static string SiloDll => Output("Silo", "TinyKv.Silo.dll");

    public static string CliDll => Output("Cli", "tinykv.dll");

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string TempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), $"tinykv-e2e-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    private static string Output(string project, string file)
    {
        string path = Path.Combine(Root, project, "bin", Configuration, "net10.0", file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"build {project} first ({path} is missing)");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TinyKv.Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("TinyKv.Orleans.sln not found above the test binaries");
    }
}
