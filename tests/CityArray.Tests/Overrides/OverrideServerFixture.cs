using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Overrides;

/// <summary>One embedded server for override tests: signs only go offline by disconnecting (long liveness timeout, rare pings).</summary>
public sealed class OverrideServerFixture : IAsyncLifetime
{
    public EmbeddedServer Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await EmbeddedServer.StartAsync(new() { ["SIGN_OFFLINE_AFTER_SECONDS"] = "300", ["SIGN_PING_SECONDS"] = "120" });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
