using System.Net;
using System.Text;
using CityArray.Bench.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CityArray.FanOut;

/// <summary>The child processes: the raw hub (with a control port that broadcasts an override frame) or an embedded CityArray gateway.</summary>
public static class Serve
{
    public static async Task<int> HubAsync(int port, int controlPort)
    {
        await using var hub = new RawHub();
        await hub.StartAsync(port);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, controlPort));
        var control = builder.Build();
        control.MapGet("/health", () => "ok");
        control.MapGet("/connected", () => hub.ConnectedCount);
        control.MapPost("/broadcast/{id}", async (string id) =>
            await hub.BroadcastAsync(Encoding.UTF8.GetBytes($"{{\"type\":\"override\",\"override_id\":\"{id}\",\"text\":\"Evacuate via the north gate\"}}")));
        await control.RunAsync();
        return 0;
    }

    public static async Task<int> CityArrayAsync(int port, string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var app = CityArray.Gateway.GatewayApp.Build([], new Dictionary<string, string?>
        {
            ["HOST"] = "127.0.0.1",
            ["PORT"] = port.ToString(),
            ["DATABASE_URL"] = $"sqlite:///{Path.Combine(dataDirectory, "cityarray.db")}",
            ["SIGN_PING_SECONDS"] = "600",
            ["SIGN_OFFLINE_AFTER_SECONDS"] = "600",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
        });
        await app.RunAsync();
        return 0;
    }
}
