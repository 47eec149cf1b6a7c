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
}
