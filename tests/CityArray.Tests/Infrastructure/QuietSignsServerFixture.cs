namespace CityArray.Tests.Infrastructure;

/// <summary>
/// An embedded server for one test class whose signs only go offline by disconnecting (long liveness timeout, rare
/// pings): for tests that send to every sign (overrides, broadcasts), so no other class's signs are covered.
/// </summary>
public sealed class QuietSignsServerFixture : IAsyncLifetime
{
    public EmbeddedServer Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await EmbeddedServer.StartAsync(new() { ["SIGN_OFFLINE_AFTER_SECONDS"] = "300", ["SIGN_PING_SECONDS"] = "120" });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
