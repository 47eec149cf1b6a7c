using CityArray.LoadGen.Scenarios;

namespace CityArray.LoadGen;

/// <summary>Scenario sizes per profile: smoke (CI, seconds), quick (a few minutes), full (the published figures).</summary>
public sealed record Profiles(
    IngestScenario.Options Ingest,
    ClaimStormScenario.Options Claims,
    NearbyScenario.Options Nearby,
    MemoryScenario.Options Memory,
    ReconnectStormScenario.Options Reconnect,
    SlowSignScenario.Options Slow)
{
    public static Profiles For(string profile, string? postgres) => profile switch
    {
        "smoke" => new(
            new IngestScenario.Options { Sizes = [20], Dashboards = 1, HeartbeatInterval = TimeSpan.FromSeconds(1), Warmup = TimeSpan.FromSeconds(2), Window = TimeSpan.FromSeconds(3), Drain = TimeSpan.FromSeconds(3) },
            new ClaimStormScenario.Options { Claims = 200, Collectibles = 10, Users = 40, Concurrency = 16, PostgresUrl = postgres, Warmup = TimeSpan.FromSeconds(0.5) },
            new NearbyScenario.Options { Sizes = [300], Queries = 40, Rounds = 2, Concurrency = 4, Warmup = TimeSpan.FromSeconds(0.5) },
            new MemoryScenario.Options { Sizes = [20, 50], Settle = TimeSpan.FromSeconds(1) },
            new ReconnectStormScenario.Options { Signs = 20, Timeout = TimeSpan.FromSeconds(60) },
            new SlowSignScenario.Options { Signs = 5, MessagesPerPhase = 10, MessagesPerSecond = 10, DropTimeout = TimeSpan.FromSeconds(60) }),
        "quick" => new(
            new IngestScenario.Options { Sizes = [500, 1_000, 2_000], Window = TimeSpan.FromSeconds(10), Warmup = TimeSpan.FromSeconds(6) },
            new ClaimStormScenario.Options { Claims = 5_000, Collectibles = 50, Users = 500, PostgresUrl = postgres, Warmup = TimeSpan.FromSeconds(3) },
            new NearbyScenario.Options { Sizes = [2_000, 10_000], Queries = 500, Warmup = TimeSpan.FromSeconds(5) },
            new MemoryScenario.Options { Sizes = [1_000, 2_000, 5_000] },
            new ReconnectStormScenario.Options { Signs = 2_000, PostgresUrl = postgres },
            new SlowSignScenario.Options { Signs = 30, MessagesPerPhase = 80 }),
        _ => new(
            new IngestScenario.Options(),
            new ClaimStormScenario.Options { PostgresUrl = postgres },
            new NearbyScenario.Options(),
            new MemoryScenario.Options(),
            new ReconnectStormScenario.Options { PostgresUrl = postgres },
            new SlowSignScenario.Options()),
    };
}
