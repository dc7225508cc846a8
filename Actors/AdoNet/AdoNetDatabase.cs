using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace TinyKv.Actors.AdoNet;

/// <summary>
/// Opens connections to one database and creates the schema on first use (once per process and
/// connection string). Commands use named parameters (<c>@name</c>), which both providers accept.
/// </summary>
internal sealed class AdoNetDatabase
{
    private static readonly Dictionary<string, Task> Schemas = new(StringComparer.Ordinal);

    /// <summary>As long as the provider's own default command timeout (30 s).</summary>
    private const string SqliteBusyTimeout = "PRAGMA busy_timeout = 30000";

    public AdoNetDatabase(AdoNetOptions options)
    {
        options.Validate();
        Options = options;
    }

    public AdoNetOptions Options { get; }

    public bool IsSqlite => Options.Invariant == AdoNetInvariants.Sqlite;

    /// <summary>An open connection on a database whose schema is current.</summary>
    public async Task<DbConnection> OpenAsync()
    {
        var connection = await OpenRawAsync();
        try
        {
            await EnsureSchemaAsync();
        }
        catch
        {
            lock (Schemas)
            {
                Schemas.Remove(SchemaKey);
            }

            await connection.DisposeAsync();
            throw;
        }

        return connection;
    }

    public static DbCommand Command(DbConnection connection, string sql, DbTransaction? transaction, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, transaction, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    private string SchemaKey => Options.Invariant + "|" + Options.ConnectionString;

    private Task EnsureSchemaAsync()
    {
        lock (Schemas)
        {
            if (!Schemas.TryGetValue(SchemaKey, out var schema) || schema.IsFaulted)
            {
                schema = CreateSchemaAsync();
                Schemas[SchemaKey] = schema;
            }

            return schema;
        }
    }

    /// <summary>
    /// Opens a connection. SQLite has one writer at a time per file: a writer that finds the lock
    /// taken waits in SQLite's busy handler (sleeps of 1 to 100 ms) rather than in the provider's
    /// retry loop, which sleeps 150 ms per attempt; with many concurrent writers (a silo stopping
    /// unregisters every grain at once) those sleeps, not the writes, made up the time.
    /// </summary>
    private async Task<DbConnection> OpenRawAsync()
    {
        DbConnection connection = IsSqlite ? new SqliteConnection(Options.ConnectionString) : new NpgsqlConnection(Options.ConnectionString);
        await connection.OpenAsync();
        if (IsSqlite)
        {
            try
            {
                await ExecuteAsync(connection, null, SqliteBusyTimeout);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }

        return connection;
    }

    private async Task CreateSchemaAsync()
    {
        await using var connection = await OpenRawAsync();
        if (IsSqlite)
        {
            await ExecuteAsync(connection, null, AdoNetSchema.Sqlite);
        }
        else
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await ExecuteAsync(connection, transaction, AdoNetSchema.PostgreSql);
            await transaction.CommitAsync();
        }

        await ExecuteAsync(connection, null, AdoNetSchema.WriteVersion, ("@version", (long)AdoNetSchema.Version));
        await using var read = Command(connection, AdoNetSchema.ReadVersion, null);
        long version = Convert.ToInt64(await read.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        if (version > AdoNetSchema.Version)
        {
            throw new InvalidOperationException($"The database has TinyKv schema version {version}; this build knows up to {AdoNetSchema.Version}. Upgrade the silo.");
        }
    }
}
