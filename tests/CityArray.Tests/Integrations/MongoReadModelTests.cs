using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Transcripts;
using CityArray.Silo.ReadModel;
using MongoDB.Bson;
using MongoDB.Driver;
using CityArray.Grains.Interfaces.Events;

namespace CityArray.Tests.Integrations;

/// <summary>The MongoDB read model: document shapes and index definitions (always), and a real server when MONGODB_URL is set.</summary>
public sealed class MongoReadModelTests
{
    private static readonly EventView Sample = new("0123456789abcdef0123456789abcdef", "Concierto", null, "music", new GeoPoint(-74.0721, 4.711),
        "Parque", "creator01", "https://x.daily.co/cityarray-0123", EventStatus.Active, 3, DateTimeOffset.Parse("2026-12-01T20:00:00Z"), null);

    [Fact]
    public void Events_are_GeoJSON_points_keyed_by_event_id_with_the_contract_fields()
    {
        var doc = MongoDocuments.Event(Sample);
        Assert.Equal(Sample.Id, doc["_id"].AsString);
        Assert.Equal("Point", doc["location"]["type"].AsString);
        // GeoJSON order: [longitude, latitude].
        Assert.Equal(new BsonArray { -74.0721, 4.711 }, doc["location"]["coordinates"].AsBsonArray);
        Assert.Equal(3, doc["participant_count"].AsInt32);
        Assert.Equal("active", doc["status"].AsString);
        Assert.Equal(BsonNull.Value, doc["ended_at"]);
        Assert.Equal(BsonNull.Value, doc["description"]);
        Assert.Equal(DateTimeKind.Utc, doc["created_at"].ToUniversalTime().Kind);
        Assert.Equal(new DateTime(2026, 12, 1, 20, 0, 0, DateTimeKind.Utc), doc["created_at"].ToUniversalTime());
    }

    [Fact]
    public void Transcript_segments_are_keyed_by_event_and_sequence_so_replays_replace_themselves()
    {
        var segment = new TranscriptSegment("ev1", 7, "hola", DateTimeOffset.Parse("2026-12-01T20:00:01Z"), 0.9, "es");
        var doc = MongoDocuments.Transcript(segment);
        Assert.Equal("ev1:7", doc["_id"].AsString);
        Assert.Equal(doc, MongoDocuments.Transcript(segment));
        Assert.Equal(7, doc["sequence"].AsInt32);
        Assert.Equal("es", doc["language"].AsString);
    }

    [Fact]
    public void Sign_metrics_are_keyed_by_sign_and_time_and_client_chosen_names_stay_values()
    {
        var sample = new MetricsSample(DateTimeOffset.Parse("2026-12-01T20:00:01.250Z"),
            new Dictionary<string, double> { ["crowd_count"] = 120, ["$type"] = 1, ["a.b"] = 2.5 });
        var doc = MongoDocuments.SignMetricsPoint("north-1", sample);
        Assert.Equal($"north-1:{sample.Timestamp.ToUnixTimeMilliseconds()}", doc["_id"].AsString);
        Assert.Equal(doc, MongoDocuments.SignMetricsPoint("north-1", sample));
        Assert.Equal("north-1", doc["sign_id"].AsString);
        Assert.Equal(sample.Timestamp.UtcDateTime, doc["at"].ToUniversalTime());
        var values = doc["values"].AsBsonArray.Select(v => (v["name"].AsString, v["value"].AsDouble)).ToArray();
        Assert.Equal([("$type", 1.0), ("a.b", 2.5), ("crowd_count", 120.0)], values);
        var index = Assert.Single(MongoDocuments.Indexes, i => i.Collection == MongoDocuments.SignMetrics);
        Assert.Equal(new BsonDocument { ["sign_id"] = 1, ["at"] = 1 }, index.Keys);
    }

    [Fact]
    public void Indexes_include_a_2dsphere_on_event_locations_and_a_unique_transcript_order()
    {
        var geo = Assert.Single(MongoDocuments.Indexes, i => i.Collection == MongoDocuments.Events && i.Keys.Contains("location"));
        Assert.Equal("2dsphere", geo.Keys["location"].AsString);
        var order = Assert.Single(MongoDocuments.Indexes, i => i.Collection == MongoDocuments.Transcripts);
        Assert.True(order.Unique);
        Assert.Equal(new BsonDocument { ["event_id"] = 1, ["sequence"] = 1 }, order.Keys);
        Assert.Equal(MongoDocuments.Indexes.Count, MongoDocuments.Indexes.Select(i => (i.Collection, i.Name)).Distinct().Count());
    }

    [SkippableFact]
    public async Task With_a_server_projections_are_idempotent_upserts_and_events_are_found_near_a_point()
    {
        var url = Environment.GetEnvironmentVariable("MONGODB_URL");
        Skip.If(string.IsNullOrWhiteSpace(url), "SKIPPED: MONGODB_URL is not set, so no MongoDB server was tested (document shapes and indexes are checked by the unit tests above).");
        var database = $"cityarray_test_{Guid.NewGuid():N}";
        var client = new MongoClient(url);
        try
        {
            var model = new MongoReadModel(client, database);
            await model.ProjectEventAsync(Sample);
            await model.ProjectEventAsync(Sample with { ParticipantCount = 4 }); // a replay or a later state: still one document
            await model.ProjectTranscriptAsync(new TranscriptSegment(Sample.Id, 1, "hola", DateTimeOffset.UtcNow, 0.9, "es"));
            await model.ProjectTranscriptAsync(new TranscriptSegment(Sample.Id, 1, "hola", DateTimeOffset.UtcNow, 0.9, "es"));
            var events = client.GetDatabase(database).GetCollection<BsonDocument>(MongoDocuments.Events);
            Assert.Equal(1, await events.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
            Assert.Equal(4, (await events.Find(new BsonDocument("_id", Sample.Id)).SingleAsync())["participant_count"].AsInt32);
            var near = new BsonDocument("location", new BsonDocument("$near", new BsonDocument
            {
                ["$geometry"] = new BsonDocument { ["type"] = "Point", ["coordinates"] = new BsonArray { -74.07, 4.71 } },
                ["$maxDistance"] = 1000,
            }));
            Assert.Single(await events.Find(near).ToListAsync());
            var transcripts = client.GetDatabase(database).GetCollection<BsonDocument>(MongoDocuments.Transcripts);
            Assert.Equal(1, await transcripts.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
            var point = new MetricsSample(DateTimeOffset.UtcNow, new Dictionary<string, double> { ["$type"] = 1, ["crowd_count"] = 5 });
            await model.ProjectSignMetricsAsync("north-1", point);
            await model.ProjectSignMetricsAsync("north-1", point);
            var metrics = client.GetDatabase(database).GetCollection<BsonDocument>(MongoDocuments.SignMetrics);
            Assert.Equal(1, await metrics.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
        }
        finally
        {
            await client.DropDatabaseAsync(database);
        }
    }
}
