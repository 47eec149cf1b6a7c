using Npgsql;

namespace CityArray.Tests.Postgres;

/// <summary>
/// A fresh, empty PostgreSQL database for one test class (use as an <c>IClassFixture</c>), created on the server
/// named by <c>CITYARRAY_TEST_POSTGRES_URL</c> and dropped afterwards. Without that variable the tests skip,
/// except under <c>CI=true</c>, where they fail: CI must run them (.ci/run starts a server).
/// </summary>
public sealed class PostgresTestDatabase : IAsyncLifetime
{
    public const string UrlVariable = "CITYARRAY_TEST_POSTGRES_URL";
    public const string SkipReason = "set CITYARRAY_TEST_POSTGRES_URL to run PostgreSQL tests";

    /// <summary>The server's test URL (postgresql://user:pass@host:port/db), or null when PostgreSQL tests are skipped.</summary>
    public static string? AdminUrl
    {
        get
        {
            var url = Environment.GetEnvironmentVariable(UrlVariable);
            if (!string.IsNullOrWhiteSpace(url)) return url.Trim();
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"CI=true but {UrlVariable} is not set: CI must run the PostgreSQL tests (source .ci/pg-start.sh).");
            return null;
        }
    }

    /// <summary>The fresh database's URL, or null when skipped.</summary>
    public string? Url { get; private set; }

    /// <summary>The fresh database's Npgsql connection string, or null when skipped.</summary>
    public string? ConnectionString { get; private set; }

    public string? Name { get; private set; }

    private string? _adminConnectionString;

    public async Task InitializeAsync()
    {
        var adminUrl = AdminUrl;
        if (adminUrl is null) return;
        _adminConnectionString = ToConnectionString(adminUrl);
        Name = $"cityarray_t_{Guid.NewGuid():N}"[..30];
        await using (var admin = new NpgsqlConnection(_adminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var uri = new UriBuilder(adminUrl) { Path = "/" + Name };
        Url = uri.Uri.ToString();
        ConnectionString = ToConnectionString(Url);
    }

    public async Task DisposeAsync()
    {
        if (_adminConnectionString is null || Name is null) return;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_adminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Opens a connection to the fresh database.</summary>
    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString ?? throw new InvalidOperationException(SkipReason));
        await connection.OpenAsync();
        return connection;
    }

    private static string ToConnectionString(string url) => CityArray.Silo.Hosting.DatabaseUrl.Parse(url).ConnectionString;
}
