using Npgsql;

namespace CityArray.Tests.Storage;

/// <summary>A silo on the PostgreSQL database named by CITYARRAY_TEST_POSTGRES_URL, when that is set.</summary>
public sealed class PostgresStorageFixture : StorageHostFixture
{
    public const string Variable = "CITYARRAY_TEST_POSTGRES_URL";

    public override string? DatabaseUrl =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } url ? url : null;

    public override string SkipMessage =>
        $"set {Variable} to run the storage contract against PostgreSQL (postgresql://user:pass@127.0.0.1:5432/db)";

    public override bool ProviderNameIsPartOfKey => false;

    public override bool GrainTypeIsPartOfKey => false;

    public override async Task<int> ReplacePayloadAsync(byte[] current, byte[] replacement)
    {
        await using var connection = new NpgsqlConnection(CityArray.Silo.Hosting.DatabaseUrl.Parse(DatabaseUrl).ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE orleansstorage SET payloadbinary = @new WHERE payloadbinary = @old;", connection);
        command.Parameters.AddWithValue("new", replacement);
        command.Parameters.AddWithValue("old", current);
        return await command.ExecuteNonQueryAsync();
    }
}
