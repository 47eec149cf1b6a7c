namespace CityArray.Grains.Interfaces.Messages;

/// <summary>Where a message is for one sign; it only moves forward: <c>queued</c> → <c>sent</c> → <c>acked</c>.</summary>
public static class DeliveryState
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Acked = "acked";
}
