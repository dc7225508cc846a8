namespace TinyKv.Actors.AdoNet;

/// <summary>
/// The database schema, defined here only (version 1), one script per dialect with the same tables:
/// <list type="bullet">
/// <item><c>tinykv_schema</c>: the schema version (one row).</item>
/// <item><c>tinykv_membership_version</c>: Orleans' version row per cluster; every membership insert or
/// update moves it forward by exactly one in the same transaction (optimistic concurrency).</item>
/// <item><c>tinykv_membership</c>: Orleans' membership row shape (address, port, generation, names,
/// status, suspect times, start and I-am-alive times) plus a row ETag and the hosted store ids.</item>
/// <item><c>tinykv_grain_directory</c>: grain id → the silo and activation holding it (single activation).</item>
/// <item><c>tinykv_grain_state</c>: one record per (grain, state name) with an ETag counter.</item>
/// </list>
/// Times are Unix milliseconds. Tables are created on first use; a database whose schema version
/// is newer than <see cref="Version"/> is refused.
/// </summary>
internal static class AdoNetSchema
{
    public const int Version = 1;

    public const string Sqlite = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE IF NOT EXISTS tinykv_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS tinykv_membership_version (
            cluster_id TEXT NOT NULL PRIMARY KEY,
            version INTEGER NOT NULL,
            updated_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS tinykv_membership (
            cluster_id TEXT NOT NULL,
            address TEXT NOT NULL,
            port INTEGER NOT NULL,
            generation INTEGER NOT NULL,
            silo_name TEXT NOT NULL,
            host_name TEXT NOT NULL,
            status INTEGER NOT NULL,
            suspect_times TEXT NOT NULL,
            start_time INTEGER NOT NULL,
            i_am_alive_time INTEGER NOT NULL,
            hosted_store_ids TEXT NOT NULL,
            etag INTEGER NOT NULL,
            PRIMARY KEY (cluster_id, address, port, generation));
        CREATE TABLE IF NOT EXISTS tinykv_grain_directory (
            cluster_id TEXT NOT NULL,
            grain_id TEXT NOT NULL,
            silo_address TEXT NOT NULL,
            silo_port INTEGER NOT NULL,
            silo_generation INTEGER NOT NULL,
            activation_id TEXT NOT NULL,
            PRIMARY KEY (cluster_id, grain_id));
        CREATE TABLE IF NOT EXISTS tinykv_grain_state (
            grain_id TEXT NOT NULL,
            state_name TEXT NOT NULL,
            payload BLOB NOT NULL,
            is_null INTEGER NOT NULL,
            etag INTEGER NOT NULL,
            PRIMARY KEY (grain_id, state_name));
        """;

    public const string PostgreSql = """
        SELECT pg_advisory_xact_lock(7271001);
        CREATE TABLE IF NOT EXISTS tinykv_schema (id BIGINT PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS tinykv_membership_version (
            cluster_id TEXT NOT NULL PRIMARY KEY,
            version BIGINT NOT NULL,
            updated_at BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS tinykv_membership (
            cluster_id TEXT NOT NULL,
            address TEXT NOT NULL,
            port BIGINT NOT NULL,
            generation BIGINT NOT NULL,
            silo_name TEXT NOT NULL,
            host_name TEXT NOT NULL,
            status BIGINT NOT NULL,
            suspect_times TEXT NOT NULL,
            start_time BIGINT NOT NULL,
            i_am_alive_time BIGINT NOT NULL,
            hosted_store_ids TEXT NOT NULL,
            etag BIGINT NOT NULL,
            PRIMARY KEY (cluster_id, address, port, generation));
        CREATE TABLE IF NOT EXISTS tinykv_grain_directory (
            cluster_id TEXT NOT NULL,
            grain_id TEXT NOT NULL,
            silo_address TEXT NOT NULL,
            silo_port BIGINT NOT NULL,
            silo_generation BIGINT NOT NULL,
            activation_id TEXT NOT NULL,
            PRIMARY KEY (cluster_id, grain_id));
        CREATE TABLE IF NOT EXISTS tinykv_grain_state (
            grain_id TEXT NOT NULL,
            state_name TEXT NOT NULL,
            payload BYTEA NOT NULL,
            is_null BIGINT NOT NULL,
            etag BIGINT NOT NULL,
            PRIMARY KEY (grain_id, state_name));
        """;

    public const string ReadVersion = "SELECT version FROM tinykv_schema WHERE id = 1";

    public const string WriteVersion = "INSERT INTO tinykv_schema (id, version) VALUES (1, @version) ON CONFLICT DO NOTHING";
}
