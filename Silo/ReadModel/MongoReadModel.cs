using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Transcripts;
using CityArray.Grains.ReadModel;
using MongoDB.Bson;
using MongoDB.Driver;
using CityArray.Grains.Interfaces.Events;

namespace CityArray.Silo.ReadModel;

/// <summary>
/// The MongoDB read model (<c>MONGODB_URL</c>, <c>DATABASE_NAME</c>): idempotent upserts (<c>ReplaceOne</c> by
/// <c>_id</c> with upsert) of the documents in <see cref="MongoDocuments"/>; indexes are created once, on first use.
/// </summary>
public sealed class MongoReadModel(IMongoClient client, string databaseName) : IReadModel
{
    private readonly IMongoDatabase _database = client.GetDatabase(databaseName);
    private readonly SemaphoreSlim _indexLock = new(1, 1);
    private volatile bool _indexed;

    public Task ProjectEventAsync(EventView ev) => UpsertAsync(MongoDocuments.Events, MongoDocuments.Event(ev));

    public Task ProjectTranscriptAsync(TranscriptSegment segment) => UpsertAsync(MongoDocuments.Transcripts, MongoDocuments.Transcript(segment));

    public Task ProjectSignMetricsAsync(string signId, MetricsSample sample) =>
        UpsertAsync(MongoDocuments.SignMetrics, MongoDocuments.SignMetricsPoint(signId, sample));

    /// <summary>Creates the indexes of <see cref="MongoDocuments.Indexes"/> (idempotent on the server).</summary>
    public async Task EnsureIndexesAsync(CancellationToken cancellationToken = default)
    {
        if (_indexed) return;
        await _indexLock.WaitAsync(cancellationToken);
        try
        {
            if (_indexed) return;
            foreach (var group in MongoDocuments.Indexes.GroupBy(i => i.Collection))
            {
                var models = group.Select(i => new CreateIndexModel<BsonDocument>(
                    new BsonDocumentIndexKeysDefinition<BsonDocument>(i.Keys), new CreateIndexOptions { Name = i.Name, Unique = i.Unique }));
                await _database.GetCollection<BsonDocument>(group.Key).Indexes.CreateManyAsync(models, cancellationToken);
            }
            _indexed = true;
        }
        finally
        {
            _indexLock.Release();
        }
    }

    private async Task UpsertAsync(string collection, BsonDocument document)
    {
        await EnsureIndexesAsync();
        await _database.GetCollection<BsonDocument>(collection)
            .ReplaceOneAsync(new BsonDocument("_id", document["_id"]), document, new ReplaceOptions { IsUpsert = true });
    }
}
