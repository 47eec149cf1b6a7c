using Orleans.Serialization;
using Orleans.Storage;

namespace CityArray.Silo.Storage.Serialization;

/// <summary>
/// The grain state serializer of every CityArray storage provider (SQLite and PostgreSQL): Orleans' own binary
/// serializer behind a 4-byte format marker, so no string a client sends (a metric named <c>$type</c>, a value
/// <c>$ref</c>) is ever read as type or reference metadata. Rows written before the marker existed were Newtonsoft
/// JSON with type names; they are still read by the legacy reader (civic type names that moved namespace are
/// mapped by <see cref="LegacyTypeNames"/>) and are rewritten in the new format on their next write.
/// </summary>
public sealed class CityArrayStateSerializer(Serializer orleans, IGrainStorageSerializer legacyJson) : IGrainStorageSerializer
{
    /// <summary>Marks a payload in the current format. Starts with NUL: no JSON text (the old format) ever does.</summary>
    public static ReadOnlySpan<byte> Marker => [0x00, 0xCA, 0x5E, 0x01];

    /// <inheritdoc/>
    public BinaryData Serialize<T>(T input)
    {
        var body = orleans.SerializeToArray(input);
        var payload = new byte[Marker.Length + body.Length];
        Marker.CopyTo(payload);
        body.CopyTo(payload.AsSpan(Marker.Length));
        return new BinaryData(payload);
    }

    /// <inheritdoc/>
    public T Deserialize<T>(BinaryData input)
    {
        var memory = input.ToMemory();
        return IsCurrentFormat(memory.Span)
            ? orleans.Deserialize<T>(memory[Marker.Length..])
            : legacyJson.Deserialize<T>(LegacyTypeNames.Rewrite(input))!;
    }

    /// <summary>Whether <paramref name="payload"/> was written by this serializer (rather than the legacy JSON one).</summary>
    public static bool IsCurrentFormat(ReadOnlySpan<byte> payload) => payload.StartsWith(Marker);
}
