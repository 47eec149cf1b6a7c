using CityArray.Grains;
using CityArray.Grains.Interfaces.Streams;
using CityArray.Grains.Signs;
using CityArray.Grains.Submissions;
using CityArray.Silo.Storage.Postgres;
using CityArray.Silo.Storage.Serialization;
using CityArray.Silo.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace CityArray.Silo.Hosting;

/// <summary>Configures an Orleans silo for CityArray: clustering, storage, reminders and streams chosen by the settings.</summary>
public static class SiloBuilderExtensions
{
    public static ISiloBuilder UseCityArray(this ISiloBuilder silo, CityArraySettings settings, IConfiguration config)
    {
        CachedGrainInterfaceTypes.Register(silo.Services); // GetGrain<T> without per-call reflection
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        var siloPort = settings.SiloPort == 0 ? FreePort.Find() : settings.SiloPort;
        var gatewayPort = settings.GatewayPort == 0 ? FreePort.Find() : settings.GatewayPort;

        if (settings.Database.IsPostgres)
        {
            var connectionString = settings.Database.ConnectionString;
            silo.ConfigureEndpoints(settings.AdvertisedAddress, siloPort, gatewayPort, listenOnAnyHostAddress: false);
            silo.AddPostgresSchemaInitializer(connectionString);
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = PostgresSchema.Invariant;
                o.ConnectionString = connectionString;
            });
            silo.Configure<ClusterMembershipOptions>(ConfigureMembership);
            // Sign events for dashboards travel on the fleet stream in a cluster (see SignageOptions.PushGrainForDashboards).
            silo.Services.Configure<SignageOptions>(o => o.PushGrainForDashboards = false);
            // A gateway killed without a word: its silo-side client is dropped after this (Orleans' default is a minute),
            // so stream deliveries and calls to it fail at once instead of each waiting out the response timeout while
            // its users and signs are already on another gateway. A live gateway reconnects and re-registers itself.
            silo.Configure<SiloMessagingOptions>(o => o.ClientDropTimeout = ClientDropTimeout);
            foreach (var name in new[] { StorageNames.Grains, StorageNames.PubSub })
            {
                // Client-chosen strings must never steer deserialization: not the provider's default Newtonsoft with type names.
                silo.Services.AddCityArrayStateSerializer(name);
                silo.AddAdoNetGrainStorage(name, o =>
                {
                    o.Invariant = PostgresSchema.Invariant;
                    o.ConnectionString = connectionString;
                });
            }
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = PostgresSchema.Invariant;
                o.ConnectionString = connectionString;
            });
        }
        else
        {
            var path = settings.Database.SqlitePath!;
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
            // One silo: every grain is local, so the grain-location cache only saves a local dictionary lookup. Its
            // default (1,000,000 entries) preallocates about 9 MB of buckets that sign activations touch page by page.
            silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = 100_000);
            silo.AddSqliteGrainStorage(StorageNames.Grains, path);
            silo.AddSqliteGrainStorage(StorageNames.PubSub, path);
            silo.UseSqliteReminderService(path);
        }

        return silo.AddCityArrayGrains(config);
    }

    /// <summary>How often every silo re-reads the membership table in cluster mode (Orleans' default is a minute).</summary>
    public static readonly TimeSpan MembershipRefreshPeriod = TimeSpan.FromSeconds(3);

    /// <summary>How long a silo keeps a disconnected gateway's (Orleans client's) state before dropping it, in cluster mode.</summary>
    public static readonly TimeSpan ClientDropTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Membership for silos that a service manager restarts on the same endpoints. A restarted silo declares its own
    /// older generation dead at once (Orleans does that for the same IP:port) and gossips it, but silos that were still
    /// joining miss that gossip and keep routing grain directory lookups and placements to the dead generation until
    /// they read the table again: by default once a minute. Re-reading every <see cref="MembershipRefreshPeriod"/>
    /// bounds that to seconds after every silo was killed at once (one small query per silo, a few seconds apart).
    /// </summary>
    internal static void ConfigureMembership(ClusterMembershipOptions o)
    {
        o.TableRefreshTimeout = MembershipRefreshPeriod;
    }

    /// <summary>
    /// Everything the grains need besides clustering, storage and reminders: the stream provider and the options read
    /// from configuration. Test clusters call it too, so they run the production composition on their own storage.
    /// </summary>
    public static ISiloBuilder AddCityArrayGrains(this ISiloBuilder silo, IConfiguration config)
    {
        silo.AddMemoryStreams(StreamNames.Provider);
        // The Orleans dashboard's silo side, when it is on; gateways mount the UI (ORLEANS_DASHBOARD_PATH, operators only).
        if (OrleansDashboardSetting.Path(config) is not null) silo.AddDashboard();
        silo.Services.AddSingleton<FleetRegistryCache>();
        silo.Services.Configure<SignageOptions>(o =>
        {
            o.OfflineAfter = TimeSpan.FromSeconds(CityArraySettings.ReadInt(config, "SIGN_OFFLINE_AFTER_SECONDS", 90, 1, 86_400));
            // A restarted grain must not load a LastSeen older than the timeout and mark a live sign offline.
            o.HeartbeatPersistInterval = TimeSpan.FromTicks(Math.Min(o.HeartbeatPersistInterval.Ticks, o.OfflineAfter.Ticks / 2));
            o.UpdateCoalesceInterval = TimeSpan.FromMilliseconds(CityArraySettings.ReadInt(config, "SIGN_UPDATE_INTERVAL_MS", 1000, 0, 60_000));
        });
        var perClient = CityArraySettings.ReadInt(config, "SUBMISSIONS_PER_CLIENT", 5, 1, 100_000);
        var windowSeconds = CityArraySettings.ReadInt(config, "SUBMISSIONS_WINDOW_SECONDS", 600, 1, 86_400);
        silo.Services.Configure<SubmissionOptions>(o =>
        {
            o.PerClient = perClient;
            o.Window = TimeSpan.FromSeconds(windowSeconds);
        });
        silo.Services.AddIntegrations(config); // before AddCivic: a configured video service replaces its default
        // The fleet snapshot loads every sign at start: each sign stored online re-arms its offline timer (its reminder is the backstop).
        silo.AddResumeTask("the fleet snapshot", grains => grains.GetGrain<CityArray.Grains.Interfaces.Signs.IFleetSnapshotGrain>(0).WakeAsync());
        // The SMS queue resumes at once after a restart (its reminder is the backstop).
        silo.AddResumeTask("the SMS queue", grains => grains.GetGrain<CityArray.Grains.Interfaces.Sms.ISmsDispatcherGrain>(0).QueuedAsync());
        // The weather poller runs from the start when OpenWeather is configured (its reminder keeps it running).
        if (config["OPENWEATHER_API_KEY"] is { Length: > 0 })
            silo.AddResumeTask("the weather poller", grains => grains.GetGrain<CityArray.Grains.Interfaces.Weather.IWeatherGrain>(0).GetAsync());
        silo.Services.AddCivic(config);
        silo.Services.AddInputLimits(config);
        silo.Services.AddRetention(config);
        return silo;
    }
}
