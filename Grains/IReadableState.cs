using Orleans.Storage;

namespace CityArray.Grains;

/// <summary>One named state that a <see cref="IGrainStatesReader"/> fills from its stored row.</summary>
public interface IReadableState
{
    /// <summary>The state's name in storage.</summary>
    string StateName { get; }

    /// <summary>Takes the stored row, or no row (<paramref name="payload"/> and <paramref name="etag"/> null).</summary>
    void Load(IGrainStorageSerializer serializer, BinaryData? payload, string? etag);
}
