using Microsoft.Data.Sqlite;

namespace CityArray.Tests.Retention;

/// <summary>Reads (or, for a fault, changes) an embedded server's SQLite file directly, to see what storage still holds.</summary>
internal static class StoredRows
{
    /// <summary>The single number <paramref name="sql"/> (a <c>count(*)</c>) answers on <paramref name="database"/>.</summary>
    public static async Task<long> CountAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs <paramref name="sql"/> on <paramref name="database"/> (a test's own fault, e.g. a trigger that refuses writes).</summary>
    public static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=false;Default Timeout=30");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
