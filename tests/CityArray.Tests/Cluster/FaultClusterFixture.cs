using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;
using CityArray.Tests.Postgres;

namespace CityArray.Tests.Cluster;

/// <summary>
/// Three silos and two gateways on a fresh PostgreSQL database, started once for the fault tests through
/// deploy/local-cluster.sh: 8 s offline detection, a drop every 2 s that stays claimable for 20 s. Each test
/// leaves every process running again. Secured like every cluster: both clients are signed in as the bootstrap admin.
/// </summary>
public sealed class FaultClusterFixture : IAsyncLifetime
{
    public PostgresTestDatabase Database { get; } = new();
    public LocalCluster Cluster { get; private set; } = null!;
    public HttpClient[] Http { get; private set; } = [];

    /// <summary>The admin's operator token (for dashboards: <c>?access_token=</c>).</summary>
    public string AdminToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        if (Database.Url is null) return;
        Cluster = await LocalCluster.StartAsync(Database.Url, silos: 3, gateways: 2, new Dictionary<string, string>
        {
            ["SIGN_OFFLINE_AFTER_SECONDS"] = "8",
            ["COLLECTIBLE_DROP_INTERVAL_SECONDS"] = "2",
            ["COLLECTIBLE_TTL_SECONDS"] = "20",
        });
        Http = [new HttpClient { BaseAddress = Cluster.Http(1), Timeout = TimeSpan.FromSeconds(40) },
                new HttpClient { BaseAddress = Cluster.Http(2), Timeout = TimeSpan.FromSeconds(40) }];
        AdminToken = await ClusterSecurity.SignInAdminAsync(Http[0]);
        Http[1].DefaultRequestHeaders.Authorization = Http[0].DefaultRequestHeaders.Authorization;
    }

    private static long _phone = 3_200_000_000 + Random.Shared.Next(0, 1_000_000) * 100L;

    /// <summary>Registers a user through gateway <paramref name="gateway"/> (1-based) and returns its id and session token.</summary>
    public async Task<ClusterUser> RegisterAsync(string name, int gateway = 1)
    {
        var phone = "+57" + Interlocked.Increment(ref _phone);
        var response = await Http[gateway - 1].PostAsJsonAsync("/api/users/register", new { phone, name });
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new ClusterUser(body.GetProperty("id").GetString()!, body.GetProperty("token").GetString()!);
    }

    public async Task DisposeAsync()
    {
        foreach (var http in Http) http.Dispose();
        if (Cluster is not null) await Cluster.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>A registered user of the fault cluster: its id and the session token it acts with.</summary>
public sealed record ClusterUser(string Id, string Token);
