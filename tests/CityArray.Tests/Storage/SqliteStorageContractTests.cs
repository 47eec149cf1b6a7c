namespace CityArray.Tests.Storage;

/// <summary>The storage contract on the embedded SQLite provider.</summary>
public sealed class SqliteStorageContractTests(SqliteStorageFixture fixture)
    : StorageContractTests<SqliteStorageFixture>(fixture);
