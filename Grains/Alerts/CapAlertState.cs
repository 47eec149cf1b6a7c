using CityArray.Grains.Interfaces.Alerts;

namespace CityArray.Grains.Alerts;

/// <summary>The durable record of one CAP alert: the overrides it raises (stored before any is activated) and how it ended.</summary>
[GenerateSerializer, Alias("CityArray.CapAlertState")]
public sealed class CapAlertState
{
    [Id(0)] public string? MsgType { get; set; }
    [Id(1)] public string? CapStatus { get; set; }
    [Id(2)] public List<OverrideActivation> Overrides { get; set; } = [];
    [Id(3)] public bool Raised { get; set; }
    [Id(4)] public string Status { get; set; } = CapAlertStatus.Active;
    [Id(5)] public DateTimeOffset? CreatedAt { get; set; }
    [Id(6)] public DateTimeOffset? EndedAt { get; set; }
    [Id(7)] public string? EndedBy { get; set; }
}
