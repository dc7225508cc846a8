namespace TinyKv.Network.Tests.AdoNet;

/// <summary>Database options for the conformance suites: a fresh SQLite file per test, or the shared PostgreSQL server.</summary>
internal static class Databases
{
    public static AdoNetOptions NewSqlite() => new()
    {
        Invariant = AdoNetInvariants.Sqlite,
        ConnectionString = $"Data Source={Path.Combine(Path.GetTempPath(), $"tinykv-test-{Guid.NewGuid():N}.db")}",
    };

    public static AdoNetOptions Postgres(PostgresServer server) => new()
    {
        Invariant = AdoNetInvariants.PostgreSql,
        ConnectionString = server.ConnectionString,
    };
}
