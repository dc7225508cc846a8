using Microsoft.Data.Sqlite;

namespace TinyKv.Bench.Storage;

/// <summary>SQLite in WAL mode (synchronous=NORMAL: commits do not fsync), one WITHOUT ROWID table of (key, value).</summary>
internal sealed class SqliteBaseline : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _get;
    private readonly SqliteCommand _put;
    private readonly SqliteCommand _scan;

    public SqliteBaseline(string path)
    {
        _connection = new SqliteConnection($"Data Source={path};Pooling=False");
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE kv (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID;");
        _get = Prepare("SELECT v FROM kv WHERE k = $k", "$k");
        _put = Prepare("INSERT OR REPLACE INTO kv (k, v) VALUES ($k, $v)", "$k", "$v");
        _scan = Prepare("SELECT k, v FROM kv WHERE k >= $k ORDER BY k LIMIT 100", "$k");
    }

    /// <summary>Inserts <paramref name="keys"/> in one transaction.</summary>
    public void PutBatch(IReadOnlyList<(byte[] Key, byte[] Value)> pairs)
    {
        using var transaction = _connection.BeginTransaction();
        _put.Transaction = transaction;
        foreach (var (key, value) in pairs)
        {
            _put.Parameters[0].Value = key;
            _put.Parameters[1].Value = value;
            _put.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public byte[]? Get(byte[] key)
    {
        _get.Parameters[0].Value = key;
        return _get.ExecuteScalar() as byte[];
    }

    /// <summary>Reads the 100 pairs from <paramref name="key"/> on; returns their total size.</summary>
    public long Scan(byte[] key)
    {
        _scan.Parameters[0].Value = key;
        using var reader = _scan.ExecuteReader();
        long bytes = 0;
        while (reader.Read())
        {
            bytes += reader.GetFieldValue<byte[]>(0).Length + reader.GetFieldValue<byte[]>(1).Length;
        }

        return bytes;
    }

    public void Dispose()
    {
        _get.Dispose();
        _put.Dispose();
        _scan.Dispose();
        _connection.Dispose();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (string p in parameters)
        {
            command.Parameters.Add(new SqliteParameter(p, SqliteType.Blob));
        }

        command.Prepare();
        return command;
    }
}
