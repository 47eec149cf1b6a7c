using System.Text.Json;
using CityArray.Gateway.Infrastructure.WebSockets;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Gateway.Signs;

/// <summary>Validates what a sign sends (<c>heartbeat</c>, <c>metrics</c>, <c>ack</c>) into typed values.</summary>
public static class SignSocketMessages
{
    /// <summary>Reads <c>data</c> of a heartbeat; null and a reason when a field is missing, mistyped or out of range.</summary>
    public static Heartbeat? ReadHeartbeat(JsonElement root, out string? error)
    {
        if (!TryGetData(root, out var data, out error)) return null;
        var fields = new FieldReader(data, "data.");
        var heartbeat = new Heartbeat(
            Battery: fields.Int("battery", 0, 100),
            SignalStrength: fields.Int("signal_strength", -150, 0),
            CrowdDensity: fields.String("crowd_density", 16, CrowdDensity.All),
            CrowdCount: fields.Int("crowd_count", 0, 10_000_000));
        error = fields.Error;
        return error is null ? heartbeat : null;
    }

    /// <summary>Reads <c>data</c> of a metrics report: an object of at most <paramref name="maxMetrics"/> (<c>SIGN_MAX_METRICS</c>, default 64) named finite numbers.</summary>
    public static MetricsSample? ReadMetrics(JsonElement root, DateTimeOffset now, int maxMetrics, out string? error)
    {
        if (!TryGetData(root, out var data, out error)) return null;
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in data.EnumerateObject())
        {
            if (values.Count == maxMetrics) { error = $"data: at most {maxMetrics} metrics per report (SIGN_MAX_METRICS)"; return null; }
            if (!TryGetName(property, out var name)) { error = "data: metric names must be valid text (no lone UTF-16 surrogates)"; return null; }
            if (name.Length is 0 or > 64) { error = "data: metric names must be 1-64 characters"; return null; }
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var number) || !double.IsFinite(number))
            {
                error = $"data.{name}: must be a number";
                return null;
            }
            if (name == "crowd_count" && number < 0) { error = "data.crowd_count: must not be negative"; return null; }
            values[name] = number;
        }
        if (values.Count == 0) { error = "data: needs at least one metric"; return null; }
        return new MetricsSample(now, values);
    }

    /// <summary>Reads the <c>message_id</c> of an ack.</summary>
    public static string? ReadAck(JsonElement root, out string? error)
    {
        var fields = new FieldReader(root, "");
        var id = fields.RequiredString("message_id", 128);
        error = fields.Error;
        return id;
    }

    private static bool TryGetName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }

    private static bool TryGetData(JsonElement root, out JsonElement data, out string? error)
    {
        error = null;
        if (root.TryGetProperty("data", out data) && data.ValueKind == JsonValueKind.Object) return true;
        error = "data: must be a JSON object";
        return false;
    }
}
