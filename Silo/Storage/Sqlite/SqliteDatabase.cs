using Microsoft.Data.Sqlite;

namespace CityArray.Silo.Storage.Sqlite;

/// <summary>
/// One SQLite database file shared by the grain storage providers and the reminder table: opens tuned connections for
/// reads, creates the schema once, and owns the file's one writer (<see cref="Writes"/>, group commit) and its grain state
/// reader (<see cref="Reads"/>, group reads).
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    /// <summary>How long a writer waits for another writer's lock before SQLite reports "database is locked".</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS grain_state (
            provider    TEXT    NOT NULL,
            state_name  TEXT    NOT NULL,
            grain_id    TEXT    NOT NULL,
            etag        TEXT    NOT NULL,
            payload     BLOB    NOT NULL,
            updated_at  TEXT    NOT NULL,
            PRIMARY KEY (provider, state_name, grain_id)
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS reminders (
            service_id     TEXT    NOT NULL,
            grain_id       TEXT    NOT NULL,
            reminder_name  TEXT    NOT NULL,
            grain_hash     INTEGER NOT NULL,
            start_at_ticks INTEGER NOT NULL,
            period_ticks   INTEGER NOT NULL,
            etag           TEXT    NOT NULL,
            PRIMARY KEY (service_id, grain_id, reminder_name)
        ) WITHOUT ROWID;

        CREATE INDEX IF NOT EXISTS reminders_by_hash ON reminders (service_id, grain_hash);
        """;

    private readonly string connectionString;
    private readonly SemaphoreSlim schemaLock = new(1, 1);
    private readonly TimeSpan busyTimeout;
    private readonly Lazy<SqliteGroupCommit> writes;
    private readonly Lazy<SqliteGroupRead> reads;
    private bool schemaReady;

    /// <param name="path">The database file (created with its folder on first use).</param>
    /// <param name="busyTimeout">How long a statement waits for a lock another process holds; <see cref="BusyTimeout"/> by default.</param>
    public SqliteDatabase(string path, TimeSpan? busyTimeout = null)
    {
        Path = System.IO.Path.GetFullPath(path);
        this.busyTimeout = busyTimeout ?? BusyTimeout;
        writes = new Lazy<SqliteGroupCommit>(() => new SqliteGroupCommit(this));
        reads = new Lazy<SqliteGroupRead>(() => new SqliteGroupRead(this));
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(this.busyTimeout.TotalSeconds)),
        }.ToString();
    }

    /// <summary>The absolute path of the database file.</summary>
    public string Path { get; }

    /// <summary>The file's one writer: every write goes through it and shares commits with the writes queued beside it.</summary>
    public SqliteGroupCommit Writes => writes.Value;

    /// <summary>The file's grain state reader: reads queued together share one query.</summary>
    public SqliteGroupRead Reads => reads.Value;

    /// <summary>Commits what is queued and closes the writer and the group reader (other reads keep working on pooled connections).</summary>
    public async ValueTask DisposeAsync()
    {
        if (reads.IsValueCreated) await reads.Value.DisposeAsync();
        if (writes.IsValueCreated) await writes.Value.DisposeAsync();
    }

    /// <summary>Opens a pooled connection with the busy timeout set, creating the file, its directory and the tables on first use.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken);
        return await OpenRawAsync(cancellationToken);
    }

    /// <summary>
    /// Opens a pooled connection for reading only: no <c>PRAGMA</c>s per open (they cost as much as the read itself; the
    /// connection string's timeout makes a read retry while the file is busy, and <c>synchronous</c> only matters to writes).
    /// </summary>
    public async Task<SqliteConnection> OpenForReadAsync(CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken);
        return await OpenPooledAsync(setup: null, cancellationToken);
    }

    /// <summary>Creates the directory, switches the file to WAL and creates the tables if they are missing; safe to call any number of times.</summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref schemaReady)) return;
        await schemaLock.WaitAsync(cancellationToken);
        try
        {
            if (schemaReady) return;
            var directory = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            await using var connection = await OpenRawAsync(cancellationToken);
            // WAL lets readers run beside the single writer; the setting is stored in the file.
            await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
            await ExecuteAsync(connection, Schema, cancellationToken);
            Volatile.Write(ref schemaReady, true);
        }
        finally
        {
            schemaLock.Release();
        }
    }

    private Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken) =>
        OpenPooledAsync($"PRAGMA busy_timeout={(int)busyTimeout.TotalMilliseconds}; PRAGMA synchronous=NORMAL;", cancellationToken);

    /// <summary>Opens a pooled connection and runs <paramref name="setup"/> on it, if any; disposed again if either fails.</summary>
    private async Task<SqliteConnection> OpenPooledAsync(string? setup, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (setup is not null) await ExecuteAsync(connection, setup, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
