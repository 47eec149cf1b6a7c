using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Events;

namespace CityArray.Grains.Interfaces.Geo;

/// <summary>
/// One event in a geo cell: its id, position and the event as search results show it (title, category,
/// participant count, ...), so a search answers from the cells without calling each event.
/// <see cref="Event"/> is null only for entries stored before cells carried it.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.GeoCellEntry")]
public sealed record GeoCellEntry(
    [property: Id(0)] string EventId,
    [property: Id(1)] GeoPoint Coordinates,
    [property: Id(2)] EventView? Event = null);
