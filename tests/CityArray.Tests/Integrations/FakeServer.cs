using CityArray.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CityArray.Tests.Integrations;

/// <summary>How a fake external service behaves right now.</summary>
public enum FakeMode
{
    /// <summary>Answers like the real service.</summary>
    Normal,

    /// <summary>Every request gets a 503.</summary>
    Fail,

    /// <summary>Every request hangs until the caller gives up.</summary>
    Stall,
}

/// <summary>
/// A small Kestrel app on a free loopback port standing in for an external service. Derived fakes map the routes and
/// check what the real service checks; this base adds failing or stalling on demand and counts requests.
/// </summary>
public abstract class FakeServer : IAsyncDisposable
{
    private WebApplication? _app;
    private int _requests;

    public int Port { get; private set; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public FakeMode Mode { get; set; } = FakeMode.Normal;

    /// <summary>Requests seen in any mode (including refused ones).</summary>
    public int Requests => Volatile.Read(ref _requests);

    protected async Task StartAsync()
    {
        Port = FreePort.Find();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(BaseUrl);
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref _requests);
            switch (Mode)
            {
                case FakeMode.Fail:
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    await context.Response.WriteAsync("{\"error\":\"fake outage\"}");
                    return;
                case FakeMode.Stall:
                    try
                    {
                        await Task.Delay(Timeout.Infinite, context.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                    return;
                default:
                    await next(context);
                    return;
            }
        });
        Map(_app);
        await _app.StartAsync();
    }

    /// <summary>Maps the service's routes.</summary>
    protected abstract void Map(WebApplication app);

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
