using System.Text.Json;
using CityArray.Silo.Storage.Sqlite;
using CityArray.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;

namespace CityArray.Tests.Storage;

/// <summary>
/// Group commit of the SQLite grain storage on a real file: concurrent writes share transactions, an ETag conflict fails
/// only its own write, a batch SQLite rolls back fails all its callers and stores nothing, writes queued together on one
/// state chain, and everything committed reads back after the storage is reopened. Reads queued together (a storm of
/// activations) share one query, each caller getting its own grain's states, and a failed query does not stop the reader.
/// </summary>
public sealed class SqliteGroupCommitTests : IAsyncLifetime
{
    private const string StateName = "group-commit";
    private readonly string path = Path.Combine(TempDirectory.Create("group-commit"), "cityarray.db");
    private SqliteDatabase database = null!;
    private SqliteGrainStorage storage = null!;

    public Task InitializeAsync()
    {
        (database, storage) = Open();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path.GetDirectoryName(path)!, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Many_concurrent_writers_all_persist_share_commits_and_read_back_after_a_reopen()
    {
        var commitsBefore = database.Writes.Commits;
        var states = Enumerable.Range(0, 600).Select(i => (Id: Grain($"storm-{i}"), State: new GrainState<Box>(new Box($"v{i}")))).ToArray();

        await Task.WhenAll(states.Select(s => Task.Run(() => storage.WriteStateAsync(StateName, s.Id, s.State))));

        Assert.All(states, s => Assert.False(string.IsNullOrEmpty(s.State.ETag)));
        var commits = database.Writes.Commits - commitsBefore;
        Assert.True(commits < 600, $"600 concurrent writes took {commits} commits: none was shared");
        await database.DisposeAsync();
        (database, storage) = Open();
        foreach (var (id, state) in states)
        {
            var read = await ReadAsync(id);
            Assert.True(read.RecordExists);
            Assert.Equal(state.ETag, read.ETag);
            Assert.Equal(state.State.Value, read.State.Value);
        }
    }

    [Fact]
    public async Task An_etag_conflict_inside_a_batch_fails_only_its_own_write()
    {
        var contested = Grain("contested");
        var current = new GrainState<Box>(new Box("v1"));
        await storage.WriteStateAsync(StateName, contested, current);
        var stale = new GrainState<Box>(new Box("stale")) { ETag = "not-the-stored-etag", RecordExists = true };
        var others = Enumerable.Range(0, 20).Select(i => (Id: Grain($"beside-{i}"), State: new GrainState<Box>(new Box($"b{i}")))).ToArray();

        var (writes, conflict) = await InOneBatchAsync(() =>
        {
            var tasks = others.Select(o => storage.WriteStateAsync(StateName, o.Id, o.State)).ToList();
            var bad = storage.WriteStateAsync(StateName, contested, stale);
            return (tasks, bad);
        });

        await Assert.ThrowsAsync<InconsistentStateException>(() => conflict);
        await Task.WhenAll(writes);
        Assert.Equal("not-the-stored-etag", stale.ETag);
        var read = await ReadAsync(contested);
        Assert.Equal("v1", read.State.Value);
        Assert.Equal(current.ETag, read.ETag);
        foreach (var (id, state) in others) Assert.Equal(state.State.Value, (await ReadAsync(id)).State.Value);
    }

    [Fact]
    public async Task A_batch_that_sqlite_rolls_back_fails_every_caller_and_stores_nothing()
    {
        var existing = Grain("existing");
        var kept = new GrainState<Box>(new Box("v1"));
        await storage.WriteStateAsync(StateName, existing, kept);
        var keptEtag = kept.ETag;
        // A real SQLite failure that aborts the whole transaction midway, after other writes of the batch ran.
        await ExecuteAsync("CREATE TRIGGER poison BEFORE INSERT ON grain_state WHEN NEW.grain_id LIKE '%poison%' BEGIN SELECT RAISE(ROLLBACK, 'poisoned batch'); END;");
        var update = new GrainState<Box>(new Box("v2")) { ETag = keptEtag, RecordExists = true };
        var fresh = new GrainState<Box>(new Box("new"));
        var poison = new GrainState<Box>(new Box("poison"));

        var (writes, _) = await InOneBatchAsync(() =>
        {
            var tasks = new List<Task>
            {
                storage.WriteStateAsync(StateName, existing, update),
                storage.WriteStateAsync(StateName, Grain("fresh"), fresh),
                storage.WriteStateAsync(StateName, Grain("poison"), poison),
            };
            return (tasks, Task.CompletedTask);
        });

        foreach (var write in writes) await Assert.ThrowsAnyAsync<SqliteException>(() => write);
        Assert.Equal(keptEtag, update.ETag); // the caller's ETag is what it was: a retry writes over the stored row
        Assert.Null(fresh.ETag);
        Assert.False(fresh.RecordExists);
        var read = await ReadAsync(existing);
        Assert.Equal("v1", read.State.Value);
        Assert.Equal(keptEtag, read.ETag);
        Assert.False((await ReadAsync(Grain("fresh"))).RecordExists);

        // The writer recovers: the same callers retry and commit.
        await storage.WriteStateAsync(StateName, existing, update);
        await storage.WriteStateAsync(StateName, Grain("fresh"), fresh);
        Assert.Equal("v2", (await ReadAsync(existing)).State.Value);
        Assert.Equal(fresh.ETag, (await ReadAsync(Grain("fresh"))).ETag);
    }

    [Fact]
    public async Task A_state_written_twice_in_one_batch_ends_with_the_last_write_and_its_etag()
    {
        var id = Grain("twice");
        var state = new GrainState<Box>(new Box("v1"));
        await storage.WriteStateAsync(StateName, id, state);

        var (writes, _) = await InOneBatchAsync(() =>
        {
            var first = storage.WriteStateAsync(StateName, id, state);
            state.State = new Box("v3");
            var second = storage.WriteStateAsync(StateName, id, state);
            return (new List<Task> { first, second }, Task.CompletedTask);
        });

        await Task.WhenAll(writes);
        var read = await ReadAsync(id);
        Assert.Equal("v3", read.State.Value);
        Assert.Equal(state.ETag, read.ETag);
        state.State = new Box("v4");
        await storage.WriteStateAsync(StateName, id, state); // the ETag the caller holds is the stored one
        Assert.Equal("v4", (await ReadAsync(id)).State.Value);
    }

    [Fact]
    public async Task A_closed_database_commits_what_was_queued_and_refuses_later_writes()
    {
        var queued = new GrainState<Box>(new Box("queued"));
        var write = storage.WriteStateAsync(StateName, Grain("queued"), queued);

        await database.DisposeAsync();

        await write;
        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.WriteStateAsync(StateName, Grain("late"), new GrainState<Box>(new Box("late"))));
        (database, storage) = Open();
        Assert.Equal(queued.ETag, (await ReadAsync(Grain("queued"))).ETag);
        Assert.False((await ReadAsync(Grain("late"))).RecordExists);
    }

    [Fact]
    public async Task Clear_goes_through_the_batch_with_its_etag_check()
    {
        var id = Grain("cleared");
        var state = new GrainState<Box>(new Box("v1"));
        await storage.WriteStateAsync(StateName, id, state);
        var stale = new GrainState<Box>(new Box("x")) { ETag = "stale", RecordExists = true };

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, id, stale));
        await storage.ClearStateAsync(StateName, id, state);

        Assert.Null(state.ETag);
        Assert.False((await ReadAsync(id)).RecordExists);
        await storage.WriteStateAsync(StateName, id, state);
        Assert.True((await ReadAsync(id)).RecordExists);
    }

    [Fact]
    public async Task Concurrent_reads_share_queries_and_each_gets_its_own_grains_states()
    {
        var other = new SqliteGrainStorage("other", new SqliteGrainStorageOptions { DatabasePath = path, GrainStorageSerializer = new JsonStateSerializer() },
            database, NullLogger<SqliteGrainStorage>.Instance);
        var ids = Enumerable.Range(0, 400).Select(i => Grain($"reader-{i}")).ToArray();
        // Every other grain has a row; the other provider holds a row under the same keys that must not leak across.
        await Task.WhenAll(ids.Where((_, i) => i % 2 == 0).Select((id, i) => storage.WriteStateAsync(StateName, id, new GrainState<Box>(new Box($"v-{id.Key}")))));
        await Task.WhenAll(ids.Select(id => other.WriteStateAsync(StateName, id, new GrainState<Box>(new Box("other provider")))));
        var queriesBefore = database.Reads.Queries;

        var reads = await Task.WhenAll(ids.Select(id => Task.Run(() => ReadAsync(id))));

        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(i % 2 == 0, reads[i].RecordExists);
            Assert.Equal(i % 2 == 0 ? $"v-{ids[i].Key}" : "", reads[i].State.Value);
            Assert.Equal(i % 2 == 0, reads[i].ETag is not null);
        }
        var queries = database.Reads.Queries - queriesBefore;
        Assert.True(queries < ids.Length, $"{ids.Length} concurrent reads took {queries} queries: none was shared");
    }

    [Fact]
    public async Task A_failed_read_query_fails_its_callers_and_the_next_reads_work()
    {
        var id = Grain("survivor");
        await storage.WriteStateAsync(StateName, id, new GrainState<Box>(new Box("kept")));
        await ExecuteAsync("ALTER TABLE grain_state RENAME TO grain_state_away;");

        await Assert.ThrowsAnyAsync<SqliteException>(() => ReadAsync(id));

        await ExecuteAsync("ALTER TABLE grain_state_away RENAME TO grain_state;");
        Assert.Equal("kept", (await ReadAsync(id).WaitAsync(TimeSpan.FromSeconds(10))).State.Value);
    }

    /// <summary>Holds the writer on a write of its own while <paramref name="enqueue"/> queues, so what it queues is one batch.</summary>
    private async Task<(List<Task> Writes, Task Other)> InOneBatchAsync(Func<(List<Task>, Task)> enqueue)
    {
        using var running = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var gate = database.Writes.RunAsync(_ =>
        {
            running.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return true;
        });
        Assert.True(running.Wait(TimeSpan.FromSeconds(30)), "the writer never ran the gate");
        var queued = enqueue();
        release.Set();
        await gate;
        return queued;
    }

    private (SqliteDatabase, SqliteGrainStorage) Open()
    {
        var db = new SqliteDatabase(path);
        var options = new SqliteGrainStorageOptions { DatabasePath = path, GrainStorageSerializer = new JsonStateSerializer() };
        return (db, new SqliteGrainStorage("grains", options, db, NullLogger<SqliteGrainStorage>.Instance));
    }

    private async Task<GrainState<Box>> ReadAsync(GrainId id)
    {
        var state = new GrainState<Box>();
        await storage.ReadStateAsync(StateName, id, state);
        return state;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static GrainId Grain(string key) => GrainId.Create("group-commit-test", key);

    /// <summary>A minimal state.</summary>
    public sealed record Box(string Value)
    {
        public Box() : this("") { }
    }

    /// <summary>A plain JSON state serializer, so the test needs no silo.</summary>
    private sealed class JsonStateSerializer : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T input) => new(JsonSerializer.SerializeToUtf8Bytes(input));

        public T Deserialize<T>(BinaryData input) => JsonSerializer.Deserialize<T>(input.ToMemory().Span)!;
    }
}
