using System.Globalization;
using Google.Protobuf;
using TinyKv.Actors.AdoNet;
using TinyKv.Actors.Invocation;
using TinyKv.Actors.Persistence;

namespace TinyKv.Actors;

/// <summary>
/// Grain state on SQLite or PostgreSQL (Orleans' AdoNetGrainStorage). A record's ETag is a counter:
/// a first write inserts ETag 1 only if no record exists; later writes and clears apply only where
/// the stored ETag equals the caller's. Otherwise <see cref="InconsistentStateException"/> and
/// nothing changes, so a second activation or a stale writer never silently overwrites state.
/// Values are stored in their wire form (the runtime's value codec).
/// </summary>
public sealed class AdoNetGrainStorage : IGrainStorage
{
    private readonly AdoNetDatabase _database;

    public AdoNetGrainStorage(AdoNetOptions options)
    {
        _database = new AdoNetDatabase(options);
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await _database.OpenAsync();
        await using var command = AdoNetDatabase.Command(connection,
            "SELECT payload, is_null, etag FROM tinykv_grain_state WHERE grain_id = @grain AND state_name = @state", null,
            ("@grain", Key(grainId)), ("@state", stateName));
        await using var reader = await command.ExecuteReaderAsync();
        if (await reader.ReadAsync())
        {
            var value = new Wire.Value { Data = ByteString.CopyFrom((byte[])reader.GetValue(0)), IsNull = reader.GetInt64(1) != 0 };
            grainState.State = (T)ValueCodec.For(typeof(T)).Read(value)!;
            grainState.ETag = reader.GetInt64(2).ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = StateFactory.CreateDefault<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var value = ValueCodec.For(typeof(T)).Write(grainState.State);
        long? expected = ParseEtag(stateName, grainId, grainState.ETag);
        await using var connection = await _database.OpenAsync();
        int changed = expected is null
            ? await AdoNetDatabase.ExecuteAsync(connection, null,
                "INSERT INTO tinykv_grain_state (grain_id, state_name, payload, is_null, etag) VALUES (@grain, @state, @payload, @is_null, 1) ON CONFLICT DO NOTHING",
                ("@grain", Key(grainId)), ("@state", stateName), ("@payload", value.Data.ToByteArray()), ("@is_null", value.IsNull ? 1L : 0L))
            : await AdoNetDatabase.ExecuteAsync(connection, null,
                "UPDATE tinykv_grain_state SET payload = @payload, is_null = @is_null, etag = etag + 1 WHERE grain_id = @grain AND state_name = @state AND etag = @expected",
                ("@grain", Key(grainId)), ("@state", stateName), ("@payload", value.Data.ToByteArray()), ("@is_null", value.IsNull ? 1L : 0L), ("@expected", expected.Value));
        if (changed != 1)
        {
            throw await ConflictAsync(connection, stateName, grainId, grainState.ETag);
        }

        grainState.ETag = ((expected ?? 0) + 1).ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        long? expected = ParseEtag(stateName, grainId, grainState.ETag);
        await using var connection = await _database.OpenAsync();
        if (expected is null)
        {
            if (await StoredEtagAsync(connection, stateName, grainId) is { } stored)
            {
                throw Conflict(stateName, grainId, null, stored);
            }
        }
        else if (await AdoNetDatabase.ExecuteAsync(connection, null,
            "DELETE FROM tinykv_grain_state WHERE grain_id = @grain AND state_name = @state AND etag = @expected",
            ("@grain", Key(grainId)), ("@state", stateName), ("@expected", expected.Value)) != 1)
        {
            throw await ConflictAsync(connection, stateName, grainId, grainState.ETag);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = StateFactory.CreateDefault<T>();
    }

    /// <summary>The database key of a grain: its key kind, type and key (GrainId.ToString alone is ambiguous across kinds).</summary>
    internal static string Key(GrainId grainId) => string.Create(CultureInfo.InvariantCulture, $"{(int)grainId.KeyKind}:{grainId}");

    private static long? ParseEtag(string stateName, GrainId grainId, string? etag)
    {
        if (etag is null)
        {
            return null;
        }

        return long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new InconsistentStateException($"State '{stateName}' of {grainId}: ETag '{etag}' was not issued by this provider.", null, etag);
    }

    private static async Task<string?> StoredEtagAsync(System.Data.Common.DbConnection connection, string stateName, GrainId grainId)
    {
        await using var command = AdoNetDatabase.Command(connection,
            "SELECT etag FROM tinykv_grain_state WHERE grain_id = @grain AND state_name = @state", null,
            ("@grain", Key(grainId)), ("@state", stateName));
        var stored = await command.ExecuteScalarAsync();
        return stored is null or DBNull ? null : Convert.ToInt64(stored, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }

    private static async Task<InconsistentStateException> ConflictAsync(System.Data.Common.DbConnection connection, string stateName, GrainId grainId, string? etag) =>
        Conflict(stateName, grainId, etag, await StoredEtagAsync(connection, stateName, grainId));

    private static InconsistentStateException Conflict(string stateName, GrainId grainId, string? etag, string? stored) =>
        new($"State '{stateName}' of {grainId}: ETag {etag ?? "(none)"} does not match stored ETag {stored ?? "(none)"}.", stored, etag);
}
