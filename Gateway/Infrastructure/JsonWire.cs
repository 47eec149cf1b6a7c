using CityArray.Grains.Interfaces.Geo;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CityArray.Gateway.Infrastructure;

/// <summary>The JSON conventions of the wire contract: snake_case names, UTC ISO-8601 times, [lng,lat] points, nulls omitted.</summary>
public static class JsonWire
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the wire conventions to <paramref name="options"/> (also used for ASP.NET's own JSON options).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new GeoPointJsonConverter());
        options.Converters.Add(new UtcDateTimeOffsetJsonConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        return options;
    }

    /// <summary>Serializes a message to UTF-8 bytes, ready to send on a socket.</summary>
    public static byte[] ToUtf8<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);
}
