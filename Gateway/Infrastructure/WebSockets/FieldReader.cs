using System.Text.Json;

namespace CityArray.Gateway.Infrastructure.WebSockets;

/// <summary>
/// Reads optional typed fields from a JSON object and collects the first problem, so message handlers
/// can validate a client message in a few lines and answer with an error naming the field.
/// </summary>
public sealed class FieldReader(JsonElement obj, string path)
{
    /// <summary>The first problem found, e.g. <c>data.battery: must be a whole number from 0 to 100</c>.</summary>
    public string? Error { get; private set; }

    public int? Int(string name, int min, int max)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= min && n <= max) return n;
        Fail(name, $"must be a whole number from {min} to {max}");
        return null;
    }

    public string? String(string name, int maxLength, IReadOnlyList<string>? allowed = null)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) { Fail(name, "must be a string"); return null; }
        if (!TryGetText(value, out var text)) { Fail(name, "must be valid text"); return null; }
        if (text.Length == 0 || text.Length > maxLength) { Fail(name, $"must be 1-{maxLength} characters"); return null; }
        if (allowed is not null && !allowed.Contains(text)) { Fail(name, $"must be one of {string.Join(", ", allowed)}"); return null; }
        return text;
    }

    public string? RequiredString(string name, int maxLength)
    {
        var value = String(name, maxLength);
        if (value is null && Error is null) Fail(name, "is required");
        return value;
    }

    private static bool TryGetText(JsonElement value, out string text)
    {
        try
        {
            text = value.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            // A lone UTF-16 surrogate escape cannot become a .NET string.
            text = "";
            return false;
        }
    }

    private void Fail(string name, string reason) => Error ??= $"{path}{name}: {reason}";
}
