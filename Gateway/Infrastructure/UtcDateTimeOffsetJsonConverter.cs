using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CityArray.Gateway.Infrastructure;

/// <summary>Writes times as ISO-8601 UTC (<c>2026-11-23T20:00:00.000Z</c>); reads any ISO-8601 time with an offset.</summary>
public sealed class UtcDateTimeOffsetJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (text is null || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
            throw new JsonException("times must be ISO-8601 strings, e.g. 2026-11-23T20:00:00Z");
        return value.ToUniversalTime();
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
}
