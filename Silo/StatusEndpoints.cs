using TinyKv.Grains;
using TinyKv.Storage.Faster;

namespace TinyKv.Silo;

/// <summary>/healthz (200 "ok" while the silo runs and the store is open, else 503) and /status (JSON).</summary>
internal static class StatusEndpoints
{
    public static void Map(WebApplication app, SiloHostOptions options)
    {
        var store = app.Services.GetRequiredService<StoreEngine>();
        var silo = app.Services.GetRequiredService<TinyKv.Actors.Silo>();
        app.MapGet("/healthz", () => silo.IsRunning && store.Engine is not null
            ? Results.Text("ok")
            : Results.Text("store not ready", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/status", () =>
        {
            var engine = store.Engine;
            return Results.Json(new StatusDocument(
                store.StoreId,
                options.ClusterId,
                silo.IsRunning ? silo.SiloAddress.ToString() : null,
                $"127.0.0.1:{options.SiloPort}",
                Math.Round(store.Uptime.TotalSeconds, 3),
                store.SyncPolicy.ToString(),
                engine is null ? null : new EngineStats(
                    engine is FasterKvEngine ? "faster" : "memory",
                    store.LastSequence,
                    engine.ApproximateSize([], []))));
        });
    }

    internal sealed record StatusDocument(long StoreId, string ClusterId, string? SiloAddress, string Endpoint, double UptimeSeconds, string SyncPolicy, EngineStats? Engine);

    internal sealed record EngineStats(string Kind, ulong LastSequence, long ApproximateSize);
}
