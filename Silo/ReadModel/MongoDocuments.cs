using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Transcripts;
using MongoDB.Bson;
using CityArray.Grains.Interfaces.Events;

namespace CityArray.Silo.ReadModel;

/// <summary>
/// The MongoDB documents and indexes of the read model, in the shapes CityPulse's tools read: <c>events</c> with a
/// GeoJSON <c>location</c> point (2dsphere index), <c>transcripts</c> keyed by event and sequence. Pure functions, so
/// unit tests check them without a server.
/// </summary>
public static class MongoDocuments
{
    public const string Events = "events";
    public const string Transcripts = "transcripts";
    public const string SignMetrics = "sign_metrics";

    public static BsonDocument Event(EventView ev) => new()
    {
        ["_id"] = ev.Id,
        ["title"] = ev.Title,
        ["description"] = (BsonValue?)ev.Description ?? BsonNull.Value,
        ["category"] = ev.Category,
        ["location"] = new BsonDocument
        {
            ["type"] = "Point",
            ["coordinates"] = new BsonArray { ev.Coordinates.Longitude, ev.Coordinates.Latitude },
        },
        ["address"] = (BsonValue?)ev.Address ?? BsonNull.Value,
        ["creator_id"] = ev.CreatorId,
        ["room_url"] = (BsonValue?)ev.RoomUrl ?? BsonNull.Value,
        ["status"] = ev.Status,
        ["participant_count"] = ev.ParticipantCount,
        ["created_at"] = ev.CreatedAt.UtcDateTime,
        ["ended_at"] = ev.EndedAt is { } ended ? ended.UtcDateTime : BsonNull.Value,
    };

    /// <summary>Transcript segment ids are <c>{event_id}:{sequence}</c>, so a replayed segment replaces itself.</summary>
    public static BsonDocument Transcript(TranscriptSegment s) => new()
    {
        ["_id"] = $"{s.EventId}:{s.Sequence}",
        ["event_id"] = s.EventId,
        ["sequence"] = s.Sequence,
        ["text"] = s.Text,
        ["at"] = s.At.UtcDateTime,
        ["confidence"] = s.Confidence is { } c ? c : BsonNull.Value,
        ["language"] = s.Language,
    };

    /// <summary>
    /// A point of a sign's metrics: id <c>{sign_id}:{unix ms}</c>, so a replayed sample replaces itself; metric names
    /// are client-chosen, so they are values in a list (never document keys, where <c>$</c> or <c>.</c> would matter).
    /// </summary>
    public static BsonDocument SignMetricsPoint(string signId, MetricsSample sample) => new()
    {
        ["_id"] = $"{signId}:{sample.Timestamp.ToUnixTimeMilliseconds()}",
        ["sign_id"] = signId,
        ["at"] = sample.Timestamp.UtcDateTime,
        ["values"] = new BsonArray(sample.Values.OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => new BsonDocument { ["name"] = v.Key, ["value"] = v.Value })),
    };

    /// <summary>Index definitions per collection: (collection, keys, name, unique).</summary>
    public static IReadOnlyList<(string Collection, BsonDocument Keys, string Name, bool Unique)> Indexes { get; } =
    [
        (Events, new BsonDocument("location", "2dsphere"), "location_2dsphere", false),
        (Events, new BsonDocument { ["status"] = 1, ["created_at"] = -1 }, "status_created_at", false),
        (Events, new BsonDocument("creator_id", 1), "creator_id", false),
        (Transcripts, new BsonDocument { ["event_id"] = 1, ["sequence"] = 1 }, "event_id_sequence", true),
        (SignMetrics, new BsonDocument { ["sign_id"] = 1, ["at"] = 1 }, "sign_id_at", false),
    ];
}
