using System.Text.Json;

namespace CityArray.Gateway.Transcripts;

/// <summary>One Deepgram live <c>Results</c> message: the best alternative's transcript, finality and confidence.</summary>
public sealed record DeepgramResult(string Text, bool IsFinal, double? Confidence)
{
    /// <summary>Reads a text frame from Deepgram; null for anything that is not a Results message with an alternative.</summary>
    public static DeepgramResult? Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            using var doc = JsonDocument.Parse(utf8.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.GetString() != "Results") return null;
            if (!root.TryGetProperty("channel", out var channel) || !channel.TryGetProperty("alternatives", out var alternatives)
                || alternatives.ValueKind != JsonValueKind.Array || alternatives.GetArrayLength() == 0) return null;
            var best = alternatives[0];
            var text = best.TryGetProperty("transcript", out var t) ? t.GetString() ?? "" : "";
            double? confidence = best.TryGetProperty("confidence", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetDouble() : null;
            var isFinal = root.TryGetProperty("is_final", out var f) && f.ValueKind == JsonValueKind.True;
            return new DeepgramResult(text, isFinal, confidence);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
