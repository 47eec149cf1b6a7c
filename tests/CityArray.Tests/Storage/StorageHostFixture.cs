using CityArray.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace CityArray.Tests.Storage;

/// <summary>A real CityArray silo host on one database, started on first use and shared by the tests of one class.</summary>
public abstract class StorageHostFixture : IAsyncLifetime
{
    private readonly string serviceId = $"storage-tests-{Guid.NewGuid():N}"[..22];
    private IHost? host;

    /// <summary>The DATABASE_URL the silo runs on, or null when this backend is not available here.</summary>
    public abstract string? DatabaseUrl { get; }

    /// <summary>Why the tests are skipped when <see cref="DatabaseUrl"/> is null.</summary>
    public abstract string SkipMessage { get; }

    /// <summary>Whether the grain storage keys rows by provider name too (the ADO.NET providers key by service, state name and grain only).</summary>
    public abstract bool ProviderNameIsPartOfKey { get; }

    /// <summary>False where rows are keyed by state name and grain key only (the ADO.NET provider).</summary>
    public abstract bool GrainTypeIsPartOfKey { get; }

    /// <summary>The running host; starts it on first call.</summary>
    public async Task<IHost> GetHostAsync()
    {
        Skip.If(DatabaseUrl is null, SkipMessage);
        return host ??= await StartHostAsync();
    }

    public async Task<IGrainStorage> GetStorageAsync(string providerName) =>
        (await GetHostAsync()).Services.GetRequiredKeyedService<IGrainStorage>(providerName);

    public async Task<IReminderTable> GetReminderTableAsync() =>
        (await GetHostAsync()).Services.GetRequiredService<IReminderTable>();

    /// <summary>Stops the silo and starts a new one on the same database, as a process restart would.</summary>
    public async Task RestartAsync()
    {
        await StopHostAsync();
        host = await StartHostAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await StopHostAsync();
        CleanUp();
    }

    /// <summary>Replaces the stored payload bytes <paramref name="current"/> with <paramref name="replacement"/> in raw SQL; returns the rows changed.</summary>
    public abstract Task<int> ReplacePayloadAsync(byte[] current, byte[] replacement);

    /// <summary>Removes whatever the backend left behind (temporary files).</summary>
    protected virtual void CleanUp()
    {
    }

    private async Task<IHost> StartHostAsync()
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["DATABASE_URL"] = DatabaseUrl,
                ["ORLEANS_CLUSTER_ID"] = serviceId,
                ["ORLEANS_SERVICE_ID"] = serviceId,
                ["ORLEANS_SILO_PORT"] = "0",
                ["ORLEANS_GATEWAY_PORT"] = "0",
            })
            .Build();
        var settings = CityArraySettings.From(config);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.UseOrleans(silo => silo.UseCityArray(settings, config));
        var started = builder.Build();
        await started.StartAsync();
        return started;
    }

    private async Task StopHostAsync()
    {
        if (host is null) return;
        await host.StopAsync();
        host.Dispose();
        host = null;
    }
}
