using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Signs;

/// <summary>The durable state of one sign.</summary>
[GenerateSerializer, Alias("CityArray.SignState")]
public sealed class SignState
{
    [Id(0)] public bool Registered { get; set; }
    [Id(1)] public string? Name { get; set; }
    [Id(2)] public string? Zone { get; set; }
    [Id(3)] public GeoPoint? Coordinates { get; set; }
    [Id(4)] public string Status { get; set; } = SignStatus.Offline;
    [Id(5)] public int? Battery { get; set; }
    [Id(6)] public int? SignalStrength { get; set; }
    [Id(7)] public string? CrowdDensity { get; set; }
    [Id(8)] public int? CrowdCount { get; set; }
    [Id(9)] public DateTimeOffset? LastSeen { get; set; }
    [Id(10)] public DateTimeOffset RegisteredAt { get; set; }
    [Id(11)] public long Heartbeats { get; set; }
    [Id(12)] public long MetricsReports { get; set; }
    [Id(13)] public long Connections { get; set; }
    [Id(14)] public long TimesOffline { get; set; }

    /// <summary>When the sign's last connection closed (overrides that ended after it are cancelled on its next connect).</summary>
    [Id(15)] public DateTimeOffset? DisconnectedAt { get; set; }
}
