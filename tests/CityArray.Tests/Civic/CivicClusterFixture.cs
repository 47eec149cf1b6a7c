using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains;
using Microsoft.Extensions.DependencyInjection;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Silo.Hosting;
using CityArray.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Orleans.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;
using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Users;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Tests.Civic;

/// <summary>One in-process test cluster for every civic test: memory storage, streams and reminders, 1 s drops, 2 s TTL.</summary>
public class CivicClusterFixture : IAsyncLifetime
{
    public const int DropIntervalSeconds = 1;
    public const int TtlSeconds = 2;

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>This cluster's grain storage, which tests can tell to fail a write (its state is this cluster's only).</summary>
    public FlakyGrainStorage Storage =>
        (FlakyGrainStorage)((InProcessSiloHandle)Cluster.Primary).SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);

    /// <summary>The clock this cluster's grains read: advance it to jump over a TTL or a lifetime instead of sleeping.</summary>
    public TestClock Clock => ((InProcessSiloHandle)Cluster.Primary).SiloHost.Services.GetRequiredService<TestClock>();

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Configure(builder);
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    /// <summary>Extra silo or client configuration of a derived fixture.</summary>
    protected virtual void Configure(TestClusterBuilder builder)
    {
    }

    /// <summary>Registers a new user with a random phone.</summary>
    public async Task<UserView> NewUserAsync(string name = "Test User")
    {
        var phone = "+57" + Random.Shared.NextInt64(3_000_000_000, 3_999_999_999);
        var result = await Grains.GetGrain<IPhoneRegistryGrain>(phone).RegisterAsync(name);
        Assert.True(result.Created);
        return result.User;
    }

    /// <summary>Creates an active event at a point.</summary>
    public Task<EventView> NewEventAsync(string creatorId, GeoPoint at, string title = "Concierto") =>
        Grains.GetGrain<IEventGrain>(CivicIds.New()).CreateAsync(creatorId, new EventDraft(title, "desc", "music", at, "Calle 1"));

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddMemoryGrainStorage("grains-memory");
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Grains,
                (sp, _) => new FlakyGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>("grains-memory")));
            silo.AddMemoryGrainStorage(StorageNames.PubSub);
            silo.UseInMemoryReminderService();
            var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["COLLECTIBLE_DROP_INTERVAL_SECONDS"] = DropIntervalSeconds.ToString(),
                ["COLLECTIBLE_TTL_SECONDS"] = TtlSeconds.ToString(),
            }).Build();
            // The production composition (streams, options, civic services), on this cluster's memory storage.
            silo.AddCityArrayGrains(config);
            // The grains' clock is a TestClock (Orleans keeps the real TimeProvider for its own timers).
            silo.Services.AddSingleton<TestClock>();
            silo.Services.AddSingleton(sp => sp.GetRequiredService<TestClock>().Clock);
            // Manual drops back to back (their interval is tested over REST with the default of 2 s).
            silo.Services.PostConfigure<CivicOptions>(o => o.ManualDropInterval = TimeSpan.Zero);
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client) => client.AddCityArrayClient();
    }
}

/// <summary>A separate cluster whose events live only <see cref="MaxLifetimeSeconds"/> seconds.</summary>
public sealed class ShortLivedEventsFixture : CivicClusterFixture
{
    public const int MaxLifetimeSeconds = 3;

    protected override void Configure(TestClusterBuilder builder) => builder.AddSiloBuilderConfigurator<ShortLifetime>();

    private sealed class ShortLifetime : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) =>
            silo.Services.PostConfigure<CivicOptions>(o => o.MaxEventLifetime = TimeSpan.FromSeconds(MaxLifetimeSeconds));
    }
}

/// <summary>The civic tests share one cluster and run one class at a time.</summary>
// Runs alone: it builds a 10,000-event index and races 500 claimers, which would skew timing-sensitive tests.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CivicCollection : ICollectionFixture<CivicClusterFixture>
{
    public const string Name = "civic";
}

/// <summary>
/// Places the tests use, far apart so that only the nearby-search test puts events around Bogota.
/// </summary>
public static class Places
{
    public static readonly GeoPoint Bogota = new(-74.08, 4.65);
    public static readonly GeoPoint Medellin = new(-75.57, 6.25);
    public static readonly GeoPoint Cali = new(-76.53, 3.45);
    public static readonly GeoPoint Cartagena = new(-75.51, 10.39);
    public static readonly GeoPoint Lisbon = new(-9.14, 38.72);
    public static readonly GeoPoint Madrid = new(-3.70, 40.42);
}
