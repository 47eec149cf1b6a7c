namespace CityArray.Tests.Storage;

/// <summary>The storage contract on the PostgreSQL (ADO.NET) providers; skipped unless CITYARRAY_TEST_POSTGRES_URL is set.</summary>
public sealed class PostgresStorageContractTests(PostgresStorageFixture fixture)
    : StorageContractTests<PostgresStorageFixture>(fixture);
