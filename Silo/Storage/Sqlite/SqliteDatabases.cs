namespace CityArray.Silo.Storage.Sqlite;

/// <summary>
/// The silo's SQLite files, one <see cref="SqliteDatabase"/> per path, so the grain storage providers and the reminder
/// table on one file share its one writer (two writers on one file would only queue for SQLite's write lock).
/// </summary>
public sealed class SqliteDatabases : IAsyncDisposable
{
    private readonly Dictionary<string, SqliteDatabase> databases = new(StringComparer.Ordinal);

    /// <summary>The database of the file at <paramref name="path"/> (relative paths resolve against the current directory).</summary>
    public SqliteDatabase Get(string path)
    {
        var full = Path.GetFullPath(path);
        lock (databases)
        {
            if (!databases.TryGetValue(full, out var database)) databases[full] = database = new SqliteDatabase(full);
            return database;
        }
    }

    /// <summary>Commits what is queued on every file and closes their writers.</summary>
    public async ValueTask DisposeAsync()
    {
        SqliteDatabase[] all;
        lock (databases) all = databases.Values.ToArray();
        foreach (var database in all) await database.DisposeAsync();
    }
}
