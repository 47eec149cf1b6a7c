using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace CityArray.LoadGen.Infrastructure;

/// <summary>
/// A nearby answer in canonical form: <c>id@distance;</c> per result, in order (what must equal the brute force's).
/// Read from the response into pooled buffers: the driver shares its process, and so its garbage collections, with the
/// embedded server, so it allocates next to nothing per query of its own and keeps only the baseline's answers.
/// </summary>
public static class NearbyAnswers
{
    /// <summary>The canonical answer of a GET.</summary>
    public static async Task<string> CanonicalAsync(HttpClient http, Uri path)
    {
        var (chars, length) = await ReadAsync(http, path);
        try { return new string(chars, 0, length); }
        finally { ArrayPool<char>.Shared.Return(chars); }
    }

    /// <summary>Whether the canonical answer of a GET equals <paramref name="expected"/> (no string made).</summary>
    public static async Task<bool> EqualsAsync(HttpClient http, Uri path, string expected)
    {
        var (chars, length) = await ReadAsync(http, path);
        try { return expected.AsSpan().SequenceEqual(chars.AsSpan(0, length)); }
        finally { ArrayPool<char>.Shared.Return(chars); }
    }

    /// <summary>The results in a canonical answer.</summary>
    public static int Count(string canonical) => canonical.Count(c => c == ';');

    private static async Task<(char[] Chars, int Length)> ReadAsync(HttpClient http, Uri path)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var bytes = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var length = 0;
        try
        {
            int read;
            while ((read = await body.ReadAsync(bytes.AsMemory(length))) > 0)
                if ((length += read) == bytes.Length) bytes = Grow(bytes, length);
            return Canonical(bytes.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>Walks the JSON array: each element's <c>id</c> and <c>distance_m</c> (one decimal), wherever they stand in it.</summary>
    private static (char[] Chars, int Length) Canonical(ReadOnlySpan<byte> json)
    {
        var chars = ArrayPool<char>.Shared.Rent(4096);
        var length = 0;
        var reader = new Utf8JsonReader(json);
        Span<char> distance = stackalloc char[32];
        var idLength = 0;
        var distanceLength = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 1)
            {
                if (length + distanceLength + 2 > chars.Length) chars = Grow(chars, length);
                chars[length++] = '@';
                distance[..distanceLength].CopyTo(chars.AsSpan(length));
                length += distanceLength;
                chars[length++] = ';';
                idLength = distanceLength = 0;
                continue;
            }
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 2) continue;
            if (reader.ValueTextEquals("id"u8) && idLength == 0 && reader.Read())
            {
                // The id goes first into the answer; the distance follows when the element ends.
                while (length + reader.ValueSpan.Length > chars.Length) chars = Grow(chars, length);
                idLength = reader.CopyString(chars.AsSpan(length));
                length += idLength;
            }
            else if (reader.ValueTextEquals("distance_m"u8) && reader.Read())
                reader.GetDouble().TryFormat(distance, out distanceLength, "0.0", CultureInfo.InvariantCulture);
        }
        return (chars, length);
    }

    private static T[] Grow<T>(T[] buffer, int used)
    {
        var larger = ArrayPool<T>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, used).CopyTo(larger);
        ArrayPool<T>.Shared.Return(buffer);
        return larger;
    }
}
