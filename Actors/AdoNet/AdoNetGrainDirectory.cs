using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using TinyKv.Actors.AdoNet;

namespace TinyKv.Actors;

/// <summary>
/// The grain directory in the database, shared by silos in different processes. Register is an
/// insert that only the first registration of an identity wins (the primary key decides), or a
/// conditional replace of exactly <c>previousAddress</c>. Lookups are cached per silo: a stale cache
/// entry only costs a forward, because the silo it names routes again with its own lookup, and
/// registration (the linearization point of single activation) always goes to the database.
/// </summary>
public sealed class AdoNetGrainDirectory : IGrainDirectory
{
    private readonly AdoNetDatabase _database;
    private readonly string _clusterId;
    private readonly ConcurrentDictionary<GrainId, GrainAddress> _cache = new();

    public AdoNetGrainDirectory(AdoNetOptions options, string clusterId)
    {
        _database = new AdoNetDatabase(options);
        _clusterId = clusterId;
    }

    public async ValueTask<GrainAddress> RegisterAsync(GrainAddress address, GrainAddress? previousAddress)
    {
        await using var connection = await _database.OpenAsync();
        while (true)
        {
            int inserted = await AdoNetDatabase.ExecuteAsync(connection, null,
                "INSERT INTO tinykv_grain_directory (cluster_id, grain_id, silo_address, silo_port, silo_generation, activation_id) " +
                "VALUES (@cluster, @grain, @address, @port, @generation, @activation) ON CONFLICT DO NOTHING",
                Parameters(address));
            if (inserted == 1)
            {
                return Cache(address);
            }

            if (previousAddress is not null && await AdoNetDatabase.ExecuteAsync(connection, null,
                "UPDATE tinykv_grain_directory SET silo_address = @address, silo_port = @port, silo_generation = @generation, activation_id = @activation " +
                "WHERE cluster_id = @cluster AND grain_id = @grain AND silo_address = @previous_address AND silo_port = @previous_port " +
                "AND silo_generation = @previous_generation AND activation_id = @previous_activation",
                [.. Parameters(address),
                    ("@previous_address", previousAddress.Silo.Host), ("@previous_port", (long)previousAddress.Silo.Port),
                    ("@previous_generation", (long)previousAddress.Silo.Generation), ("@previous_activation", previousAddress.ActivationId.ToString("N"))]) == 1)
            {
                return Cache(address);
            }

            if (await ReadAsync(connection, address.GrainId) is { } winner)
            {
                return Cache(winner);
            }
        }
    }

    public async ValueTask<GrainAddress?> LookupAsync(GrainId grainId)
    {
        if (_cache.TryGetValue(grainId, out var cached))
        {
            return cached;
        }

        await using var connection = await _database.OpenAsync();
        return await ReadAsync(connection, grainId) is { } found ? Cache(found) : null;
    }

    public bool TryLookupCached(GrainId grainId, [NotNullWhen(true)] out GrainAddress? address) => _cache.TryGetValue(grainId, out address);

    public async ValueTask UnregisterAsync(GrainAddress address)
    {
        _cache.TryRemove(new KeyValuePair<GrainId, GrainAddress>(address.GrainId, address));
        await using var connection = await _database.OpenAsync();
        await AdoNetDatabase.ExecuteAsync(connection, null,
            "DELETE FROM tinykv_grain_directory WHERE cluster_id = @cluster AND grain_id = @grain AND silo_address = @address AND silo_port = @port " +
            "AND silo_generation = @generation AND activation_id = @activation",
            Parameters(address));
    }

    public async ValueTask UnregisterSilosAsync(IReadOnlyCollection<SiloAddress> silos)
    {
        foreach (var entry in _cache)
        {
            if (silos.Contains(entry.Value.Silo))
            {
                _cache.TryRemove(entry);
            }
        }

        await using var connection = await _database.OpenAsync();
        foreach (var silo in silos)
        {
            await AdoNetDatabase.ExecuteAsync(connection, null,
                "DELETE FROM tinykv_grain_directory WHERE cluster_id = @cluster AND silo_address = @address AND silo_port = @port AND silo_generation = @generation",
                ("@cluster", _clusterId), ("@address", silo.Host), ("@port", (long)silo.Port), ("@generation", (long)silo.Generation));
        }
    }

    private GrainAddress Cache(GrainAddress address)
    {
        _cache[address.GrainId] = address;
        return address;
    }

    private async Task<GrainAddress?> ReadAsync(DbConnection connection, GrainId grainId)
    {
        await using var command = AdoNetDatabase.Command(connection,
            "SELECT silo_address, silo_port, silo_generation, activation_id FROM tinykv_grain_directory WHERE cluster_id = @cluster AND grain_id = @grain", null,
            ("@cluster", _clusterId), ("@grain", AdoNetGrainStorage.Key(grainId)));
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        return new GrainAddress(grainId, new SiloAddress(reader.GetString(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2)), Guid.ParseExact(reader.GetString(3), "N"));
    }

    private (string, object?)[] Parameters(GrainAddress address) =>
    [
        ("@cluster", _clusterId),
        ("@grain", AdoNetGrainStorage.Key(address.GrainId)),
        ("@address", address.Silo.Host),
        ("@port", (long)address.Silo.Port),
        ("@generation", (long)address.Silo.Generation),
        ("@activation", address.ActivationId.ToString("N")),
    ];
}
