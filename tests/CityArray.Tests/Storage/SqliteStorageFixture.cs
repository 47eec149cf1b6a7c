using Microsoft.Data.Sqlite;

namespace CityArray.Tests.Storage;

/// <summary>A silo on a SQLite file in a fresh temporary folder, deleted afterwards.</summary>
public sealed class SqliteStorageFixture : StorageHostFixture
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"cityarray-storage-{Guid.NewGuid():N}");

    /// <summary>The database file; its folder does not exist until the provider creates it.</summary>
    public string DatabasePath => Path.Combine(directory, "nested", "cityarray.db");

    public override string DatabaseUrl => $"sqlite:///{DatabasePath}";

    public override string SkipMessage => "";

    public override bool ProviderNameIsPartOfKey => true;

    public override bool GrainTypeIsPartOfKey => true;

    public override async Task<int> ReplacePayloadAsync(byte[] current, byte[] replacement)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE grain_state SET payload = $new WHERE payload = $old;";
        command.Parameters.Add("$new", SqliteType.Blob).Value = replacement;
        command.Parameters.Add("$old", SqliteType.Blob).Value = current;
        return await command.ExecuteNonQueryAsync();
    }

    protected override void CleanUp()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }
}
