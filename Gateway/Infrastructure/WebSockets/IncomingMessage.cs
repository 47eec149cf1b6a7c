using System.Text.Json;

namespace CityArray.Gateway.Infrastructure.WebSockets;

/// <summary>A parsed client message: its <c>type</c> and root object, or the reason it could not be read.</summary>
public sealed record IncomingMessage(string Type, JsonElement Root)
{
    /// <summary>Parses a text frame; returns null and a reason when it is not a JSON object with a string <c>type</c>.</summary>
    public static IncomingMessage? TryParse(ReadOnlyMemory<byte> utf8, out string? error)
    {
        error = null;
        try
        {
            using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 32 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "a message must be a JSON object";
                return null;
            }
            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() is not { Length: > 0 } name)
            {
                error = "a message needs a string field 'type'";
                return null;
            }
            return new IncomingMessage(name, root.Clone());
        }
        catch (JsonException e)
        {
            error = $"malformed JSON: {e.Message}";
            return null;
        }
        catch (InvalidOperationException)
        {
            // e.g. a lone UTF-16 surrogate escape ("\uD800") that cannot become a string
            error = "a message needs a string field 'type' holding valid text";
            return null;
        }
    }
}
