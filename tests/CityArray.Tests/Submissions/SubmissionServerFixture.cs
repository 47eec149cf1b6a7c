using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Submissions;

/// <summary>One embedded server for submission tests, with a per-client limit high enough for every test of the class.</summary>
public sealed class SubmissionServerFixture : IAsyncLifetime
{
    public EmbeddedServer Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await EmbeddedServer.StartAsync(new() { ["SUBMISSIONS_PER_CLIENT"] = "10000", ["SIGN_PING_SECONDS"] = "1" });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
