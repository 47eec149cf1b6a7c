using CityArray.Grains.Interfaces.Streams;
using CityArray.Silo.Storage.Postgres;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace CityArray.Silo.Hosting;

/// <summary>Configures an Orleans client (a cluster-mode gateway) to reach the CityArray silos.</summary>
public static class ClientBuilderExtensions
{
    public static IClientBuilder UseCityArray(this IClientBuilder client, CityArraySettings settings)
    {
        if (!settings.Database.IsPostgres)
            throw new InvalidOperationException("A gateway runs as a separate Orleans client only in cluster mode (DATABASE_URL=postgresql://...).");
        CachedGrainInterfaceTypes.Register(client.Services); // GetGrain<T> without per-call reflection
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        client.UseAdoNetClustering(o =>
        {
            o.Invariant = PostgresSchema.Invariant;
            o.ConnectionString = settings.Database.ConnectionString;
        });
        // After every silo restarted on new ports, the gateway finds them within seconds rather than the default minute.
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
        return client.AddCityArrayClient();
    }

    /// <summary>
    /// Everything a CityArray client needs besides clustering: the stream provider and the Orleans dashboard's client side.
    /// Test clusters call it too, so their clients run the production composition.
    /// </summary>
    public static IClientBuilder AddCityArrayClient(this IClientBuilder client)
    {
        client.AddMemoryStreams(StreamNames.Provider);
        client.AddDashboard();
        return client;
    }
}
