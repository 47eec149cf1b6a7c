using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Geo;

namespace CityArray.Grains.Geo;

/// <summary>
/// A geo cell's in-memory entry: the event's position (stored) and the event as search shows it (memory only:
/// refreshed by every re-listing of the event, fetched from the event grain when a cell activation has not seen it yet).
/// </summary>
internal sealed class GeoCellItem(string eventId, GeoPoint coordinates)
{
    public string EventId { get; } = eventId;

    public GeoPoint Coordinates { get; } = coordinates;

    /// <summary>What a search answers for this event; null until the cell has the event's view.</summary>
    public GeoCellEntry? Entry { get; private set; }

    public EventView? View => Entry?.Event;

    public void SetView(EventView? view) => Entry = view is null ? null : new GeoCellEntry(EventId, Coordinates, view);

    /// <summary>The entry as stored or listed (the view when known).</summary>
    public GeoCellEntry ToEntry() => Entry ?? new GeoCellEntry(EventId, Coordinates);
}
