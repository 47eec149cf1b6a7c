namespace CityArray.Tests.Infrastructure;

/// <summary>One embedded server shared by the tests of a class (each test uses its own sign ids).</summary>
public sealed class EmbeddedServerFixture : IAsyncLifetime
{
    public EmbeddedServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await EmbeddedServer.StartAsync(new() { ["SIGN_PING_SECONDS"] = "1" });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
