namespace CityArray.Grains.Interfaces.Events;

/// <summary>An event's lifecycle as spelled on the wire.</summary>
public static class EventStatus
{
    public const string Active = "active";
    public const string Ended = "ended";
}
