using CityArray.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CityArray.LoadGen.Infrastructure;

/// <summary>CityArray in embedded mode (gateway + co-hosted silo on a fresh SQLite file) inside this process.</summary>
public sealed class EmbeddedTarget : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private EmbeddedTarget(WebApplication app, Uri baseUri, string directory)
    {
        _app = app;
        BaseUri = baseUri;
        _directory = directory;
    }

    public Uri BaseUri { get; }

    /// <summary>The co-hosted silo's grain factory (for seeding and the in-process grain baseline).</summary>
    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public static async Task<EmbeddedTarget> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "cityarray-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var port = FreePort.Find();
        var config = new Dictionary<string, string?>
        {
            ["HOST"] = "127.0.0.1",
            ["PORT"] = port.ToString(),
            ["DATABASE_URL"] = $"sqlite:///{Path.Combine(directory, "cityarray.db")}",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
            ["Logging:LogLevel:Orleans.Runtime.Silo"] = "Warning",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) config[k] = v;
        var app = GatewayApp.Build([], config);
        await app.StartAsync();
        return new EmbeddedTarget(app, new Uri($"http://127.0.0.1:{port}"), directory);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(_directory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
