using Orleans.Storage;

namespace CityArray.Silo.Storage.Sqlite;

/// <summary>Options of one named SQLite grain storage provider.</summary>
public sealed class SqliteGrainStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>Path of the database file; several providers may share one file.</summary>
    public string DatabasePath { get; set; } = "";

    /// <summary>Serializer of the state payload; Orleans fills in the silo's default when left null.</summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;
}
