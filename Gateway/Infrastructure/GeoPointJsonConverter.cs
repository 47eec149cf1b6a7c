using CityArray.Grains.Interfaces.Geo;
using System.Text.Json;
using System.Text.Json.Serialization;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Gateway.Infrastructure;

/// <summary>Reads and writes a <see cref="GeoPoint"/> as <c>[longitude, latitude]</c>, rejecting anything else.</summary>
public sealed class GeoPointJsonConverter : JsonConverter<GeoPoint>
{
    public override GeoPoint Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException("coordinates must be an array [longitude, latitude]");
        var values = new List<double>(2);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number)
                throw new JsonException("coordinates must hold two numbers [longitude, latitude]");
            values.Add(reader.GetDouble());
        }
        if (values.Count != 2)
            throw new JsonException("coordinates must hold exactly two numbers [longitude, latitude]");
        return new GeoPoint(values[0], values[1]);
    }

    public override void Write(Utf8JsonWriter writer, GeoPoint value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(value.Longitude);
        writer.WriteNumberValue(value.Latitude);
        writer.WriteEndArray();
    }
}
