namespace TinyKv.Actors;

/// <summary>Which database and how to reach it, for membership, the grain directory and grain state.</summary>
public sealed class AdoNetOptions
{
    /// <summary>The ADO.NET provider: <see cref="AdoNetInvariants.Sqlite"/> (default) or <see cref="AdoNetInvariants.PostgreSql"/>.</summary>
    public string Invariant { get; set; } = AdoNetInvariants.Sqlite;

    /// <summary>
    /// The provider's connection string, e.g. "Data Source=./data/cluster.db" (SQLite: one file shared by
    /// the silos of one host) or "Host=db;Port=5432;Username=tinykv;Database=tinykv" (PostgreSQL: several hosts).
    /// </summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad setting.</summary>
    public void Validate()
    {
        if (Invariant is not (AdoNetInvariants.Sqlite or AdoNetInvariants.PostgreSql))
        {
            throw new ArgumentException($"AdoNetOptions.Invariant '{Invariant}' is not supported; use '{AdoNetInvariants.Sqlite}' or '{AdoNetInvariants.PostgreSql}'.");
        }

        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException("AdoNetOptions.ConnectionString must be set.");
        }
    }
}

/// <summary>The provider names Orleans' ADO.NET providers use.</summary>
public static class AdoNetInvariants
{
    public const string Sqlite = "Microsoft.Data.Sqlite";

    public const string PostgreSql = "Npgsql";
}
