namespace CityArray.Grains.Interfaces.Streams;

/// <summary>Names of the stream provider and stream namespaces that grains and gateways share.</summary>
public static class StreamNames
{
    /// <summary>The memory stream provider every silo and gateway registers.</summary>
    public const string Provider = "cityarray";

    /// <summary>Namespace of the fleet-wide dashboard stream (one stream, key <see cref="FleetKey"/>).</summary>
    public const string Dashboard = "dashboard";

    /// <summary>Namespace of per-event streams of <c>EventNotification</c>s, keyed by event id.</summary>
    public const string Events = "event";

    /// <summary>Key of the single fleet-wide stream in a namespace.</summary>
    public const string FleetKey = "fleet";
}
