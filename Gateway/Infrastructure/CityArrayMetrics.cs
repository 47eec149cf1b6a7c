using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CityArray.Gateway.Infrastructure;

/// <summary>
/// CityArray's own instruments (meter <c>CityArray</c>), exported with Orleans' and ASP.NET Core's on <c>GET /metrics</c>.
/// Names are listed in docs/operations.md; Prometheus turns dots into underscores and adds unit suffixes.
/// </summary>
public static class CityArrayMetrics
{
    public const string MeterName = "CityArray";
    public const string ActivitySourceName = "CityArray";

    private static readonly Meter Meter = new(MeterName, "1.0");

    /// <summary>Traces of CityArray's own work (none beyond ASP.NET Core and Orleans yet; the source is registered for later spans).</summary>
    public static readonly ActivitySource Activities = new(ActivitySourceName);

    /// <summary>Open WebSockets, tagged <c>kind</c> = sign | dashboard | user.</summary>
    public static readonly UpDownCounter<long> Connections = Meter.CreateUpDownCounter<long>("cityarray.connections", "{connection}", "Open WebSocket connections by kind");

    /// <summary>Text frames received from clients, tagged <c>kind</c>.</summary>
    public static readonly Counter<long> FramesIn = Meter.CreateCounter<long>("cityarray.frames.in", "{frame}", "WebSocket frames received");

    /// <summary>Frames written to clients, tagged <c>kind</c>.</summary>
    public static readonly Counter<long> FramesOut = Meter.CreateCounter<long>("cityarray.frames.out", "{frame}", "WebSocket frames sent");

    /// <summary>Acks received from signs (messages and overrides).</summary>
    public static readonly Counter<long> Acks = Meter.CreateCounter<long>("cityarray.acks", "{ack}", "Acks received from signs");

    /// <summary>Collectible claims, tagged <c>outcome</c> (success or the refusal reason).</summary>
    public static readonly Counter<long> Claims = Meter.CreateCounter<long>("cityarray.claims", "{claim}", "Collectible claims by outcome");

    /// <summary>Grain calls made from this process, tagged <c>interface</c> and <c>outcome</c> (ok | error).</summary>
    public static readonly Histogram<double> GrainCallDuration = Meter.CreateHistogram<double>("cityarray.grain_call.duration", "s", "Duration of grain calls made by the gateway");

    /// <summary>
    /// Time from a message or override being accepted (its <c>created_at</c>) to its frame being queued for a sign's socket
    /// (<c>stage</c> = sent) and to the sign's ack arriving here (<c>stage</c> = acked), tagged <c>kind</c> = message | override.
    /// A sign caught up after a fault or a reconnect counts the whole wait.
    /// </summary>
    public static readonly Histogram<double> DeliveryLatency = Meter.CreateHistogram<double>("cityarray.delivery.latency", "s",
        "Time from a message or override being accepted to its frame sent to a sign, and to the sign's ack");

    /// <summary>Records one <see cref="DeliveryLatency"/> measurement (negative clock skew counts as 0).</summary>
    public static void RecordDelivery(string kind, string stage, DateTimeOffset acceptedAt, DateTimeOffset now) =>
        DeliveryLatency.Record(Math.Max(0, (now - acceptedAt).TotalSeconds),
            new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("stage", stage));

    /// <summary>The socket kind for a request path: /ws/sign/..., /ws/dashboard, or a user's /ws/{id}.</summary>
    public static string KindOf(PathString path) =>
        path.StartsWithSegments("/ws/sign") ? "sign" : path.StartsWithSegments("/ws/dashboard") ? "dashboard" : "user";
}
