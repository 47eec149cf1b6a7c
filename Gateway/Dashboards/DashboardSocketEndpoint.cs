using CityArray.Gateway.Infrastructure;
using CityArray.Gateway.Infrastructure.WebSockets;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Gateway.Dashboards;

/// <summary><c>WS /ws/dashboard</c>: <c>all_signs</c> at once, then every fleet event; answers <c>get_all_signs</c>.</summary>
public sealed class DashboardSocketEndpoint(IClusterClient cluster, DashboardHub hub, SocketAcceptor acceptor, Grains.CityArrayClock clock)
{
    public async Task HandleAsync(HttpContext context)
    {
        using var connection = await acceptor.AcceptAsync(context);
        if (connection is null) return;
        var subscriber = new DashboardSubscriber(connection);
        hub.Add(subscriber);
        try
        {
            subscriber.Start(JsonWire.ToUtf8(await AllSignsAsync()));
            await connection.RunAsync(message => OnMessageAsync(connection, message));
        }
        finally
        {
            hub.Remove(subscriber);
        }
    }

    private async Task<object> AllSignsAsync()
    {
        var signs = await cluster.GetGrain<IFleetGrain>(0).GetAllSignsAsync();
        return DashboardWire.AllSigns(signs, clock.GetUtcNow());
    }

    private async Task OnMessageAsync(SocketConnection connection, ReadOnlyMemory<byte> utf8)
    {
        var message = IncomingMessage.TryParse(utf8, out var error);
        if (message is null)
            connection.SendError("invalid_message", error!, null);
        else if (message.Type == "get_all_signs")
            connection.SendJson(await AllSignsAsync());
        else
            connection.SendError("unknown_type", $"unknown message type '{message.Type}'; a dashboard may send get_all_signs", message.Type);
    }
}
