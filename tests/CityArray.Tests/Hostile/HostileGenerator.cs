using System.Globalization;
using System.Text;

namespace CityArray.Tests.Hostile;

/// <summary>
/// Seeded generator of hostile input: JSON text (built by hand so it can hold lone surrogate escapes, duplicate keys,
/// huge numbers and deep nesting), path values, query strings and socket frames. The same seed gives the same input.
/// </summary>
public sealed class HostileGenerator(int seed)
{
    /// <summary>The seed this generator replays (HOSTILE_SEED).</summary>
    public int Seed => seed;

    private readonly Random _random = new(seed);

    /// <summary>Field names the API reads, so generated bodies reach validation rather than stopping at the first unknown key.</summary>
    private static readonly string[] Fields =
    [
        "text", "template_id", "variables", "language", "sign_ids", "zone", "all", "priority", "display_seconds", "expires_at",
        "severity", "urgency", "headline", "area", "circle", "center", "radius_m", "polygon", "name", "coordinates", "phone",
        "title", "description", "category", "address", "id", "text_es", "message", "ttl_seconds", "rarity", "contact", "reason",
        "type", "data", "battery", "signal_strength", "crowd_density", "crowd_count", "message_id", "event_id", "collectible_id",
        "exit", "impressions", "lat", "lon", "max_distance", "limit", "status", "user_id", "creator_id",
    ];

    private static readonly string[] Metadata = ["$type", "$ref", "$id", "$values", "$value", "$", "__proto__", "constructor"];

    private static readonly string[] SocketTypes =
    [
        "heartbeat", "metrics", "ack", "status", "join_event", "leave_event", "chat", "chat_message", "claim_collectible",
        "subscribe", "ping", "pong", "location", "update_location", "", "HEARTBEAT", "$type",
    ];

    /// <summary>Valid-looking bodies per route pattern (members as raw JSON), mutated one member at a time to reach deep validation.</summary>
    private static readonly Dictionary<string, (string Key, string Value)[]> Samples = new()
    {
        ["/api/messages/"] = [("text", "\"Gates open\""), ("sign_ids", "[\"fuzz-1\"]"), ("priority", "\"high\""), ("display_seconds", "30")],
        ["/api/overrides/"] = [("text", "\"Evacuate\""), ("sign_ids", "[\"fuzz-1\"]"), ("severity", "\"extreme\""), ("urgency", "\"immediate\""), ("headline", "\"Go\"")],
        ["/api/templates/"] = [("id", "\"fz-tpl\""), ("name", "\"n\""), ("category", "\"c\""), ("text", "\"Exit {exit}\""), ("text_es", "\"Salida {exit}\"")],
        ["/api/templates/{id}"] = [("name", "\"n\""), ("category", "\"c\""), ("text", "\"Exit {exit}\"")],
        ["/api/templates/{id}/render"] = [("variables", "{\"exit\":\"north\"}"), ("language", "\"en\"")],
        ["/api/signs/{signId}"] = [("name", "\"North\""), ("zone", "\"north\""), ("coordinates", "[-74.07,4.71]")],
        ["/api/submissions/"] = [("name", "\"Ana\""), ("text", "\"hello there\""), ("contact", "\"+573001234567\""), ("zone", "\"north\"")],
        ["/api/submissions/{submissionId}/approve"] = [("sign_ids", "[\"fuzz-1\"]"), ("display_seconds", "10")],
        ["/api/submissions/{submissionId}/reject"] = [("reason", "\"no\"")],
        ["/api/users/register"] = [("phone", "\"+573001234567\""), ("name", "\"Ana\"")],
        ["/api/events/"] = [("title", "\"Concert\""), ("category", "\"music\""), ("coordinates", "[-74.07,4.71]"), ("address", "\"x\"")],
        ["/api/events/{eventId}/collectibles"] = [("name", "\"Star\""), ("rarity", "\"common\""), ("ttl_seconds", "60")],
    };

    /// <summary>Path values that exist, so requests get past the 404 to validation.</summary>
    private static readonly string[] KnownIds = ["emergency-evacuation", "welcome", "fuzz-1", "fuzz-2"];

    /// <summary>A body for <paramref name="pattern"/>: half the time a valid sample with one member made hostile.</summary>
    public string Body(string pattern)
    {
        if (!Samples.TryGetValue(pattern, out var sample) || Chance(40)) return Body();
        var members = sample.ToList();
        var i = _random.Next(members.Count);
        switch (_random.Next(8))
        {
            case 0: members.RemoveAt(i); break;
            case 1: members.Add((Pick(Fields), JsonValue(2))); break;
            case 2: case 3: case 4: case 5: members[i] = (members[i].Key, Pick(new[] { "null", "[null]", "[\"a\",null]", "\"\\ud800\"", "{\"$type\":\"System.Object\"}", "1e999", "-1", "[]", "{}", "true" })); break;
            default: members[i] = (members[i].Key, JsonValue(2)); break;
        }
        return "{" + string.Join(",", members.Select(m => $"{Quote(m.Key)}:{m.Value}")) + "}";
    }

    public int Next(int max) => _random.Next(max);

    private bool Chance(int percent) => _random.Next(100) < percent;

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>A hostile string as JSON text (quoted, escaped), possibly holding escapes no .NET string can hold.</summary>
    public string JsonString()
    {
        return _random.Next(16) switch
        {
            0 => "\"\\ud800\"",
            1 => "\"a\\udfff\\ud800b\"",
            2 => Quote(Pick(Metadata)),
            3 => Quote("$" + Word()),
            4 => Quote(new string('x', Pick(new[] { 65, 101, 257, 513, 1001, 5000, 70_000 }))),
            5 => Quote("+５７３００１２３４５６７"),
            6 => Quote("+٥٧٣٠٠١٢٣٤٥٦٧"),
            7 => Quote("+57" + _random.NextInt64(3_000_000_000, 3_999_999_999).ToString(CultureInfo.InvariantCulture)),
            8 => "\"\\u0000\\u001f\"",
            9 => Quote("{" + Word() + "}"),
            10 => Quote(" "),
            11 => Quote(""),
            12 => Quote("é€😀\u200b\u202e"),
            13 => Quote("2026-13-45T99:99:99Z"),
            14 => Quote(DateTimeOffset.UtcNow.AddMinutes(_random.Next(-60, 600)).ToString("O", CultureInfo.InvariantCulture)),
            _ => Quote(Word()),
        };
    }

    /// <summary>A hostile JSON value of any kind, at most <paramref name="depth"/> levels deep (with rare very deep ones).</summary>
    public string JsonValue(int depth = 3)
    {
        switch (_random.Next(depth <= 0 ? 8 : 13))
        {
            case 0: return "null";
            case 1: return Chance(50) ? "true" : "false";
            case 2: return Pick(new[] { "0", "-1", "1", "100", "1e308", "-1e308", "1e999", "9223372036854775808", "-0", "0.0000001", "3.5", "2147483648" });
            case 3: case 4: case 5: case 6: return JsonString();
            case 7: return "[]";
            case 8: return "[" + string.Join(",", Enumerable.Range(0, _random.Next(1, 5)).Select(_ => Chance(30) ? "null" : JsonValue(depth - 1))) + "]";
            case 9: return "[\"a\",null]";
            case 10: return Chance(10) ? Deep(Pick(new[] { 40, 70, 200, 1000 })) : JsonObject(depth - 1);
            case 11: return "[" + string.Join(",", Enumerable.Range(0, 4).Select(_ => $"[{_random.NextDouble() * 360 - 180:0.###},{_random.NextDouble() * 180 - 90:0.###}]")) + "]";
            default: return JsonObject(depth - 1);
        }
    }

    /// <summary>A JSON object with API field names, metadata lookalikes and random keys mapped to hostile values.</summary>
    public string JsonObject(int depth = 3)
    {
        var count = _random.Next(0, 7);
        var members = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var key = _random.Next(10) switch
            {
                0 => Quote(Pick(Metadata)),
                1 => "\"\\ud800\"",
                2 => Quote(Word()),
                _ => Quote(Pick(Fields)),
            };
            members.Add($"{key}:{JsonValue(depth)}");
        }
        return "{" + string.Join(",", members) + "}";
    }

    /// <summary>A request body: mostly JSON objects, sometimes broken or non-object text.</summary>
    public string Body() => _random.Next(20) switch
    {
        0 => "",
        1 => "{",
        2 => "null",
        3 => "[null]",
        4 => "\"x\"",
        5 => "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>" + new string('i', 600) + "</identifier></alert>",
        6 => Deep(300),
        7 => "{\"a\":1,\"a\":2}",
        _ => JsonObject(),
    };

    /// <summary>A path segment value (unescaped; the caller escapes it).</summary>
    public string PathValue() => _random.Next(16) switch
    {
        12 or 13 or 14 => Pick(KnownIds),
        0 => "$type",
        1 => new string('a', Pick(new[] { 64, 65, 300, 600 })),
        2 => "..",
        3 => "a b",
        4 => "é",
        5 => "%00",
        6 => "-1",
        7 => "99999999999999999999",
        8 => "null",
        9 => "a|b",
        _ => Word(),
    };

    /// <summary>A query string (without '?') of hostile parameters.</summary>
    public string Query()
    {
        var parts = Enumerable.Range(0, _random.Next(0, 5)).Select(_ =>
        {
            var key = Chance(70) ? Pick(new[] { "lat", "lon", "max_distance", "limit", "creator_id", "user_id", "status", "zone", "category", "since", "language", "offset" }) : Word();
            var value = _random.Next(8) switch
            {
                0 => "NaN",
                1 => "1e999",
                2 => "-91",
                3 => "",
                4 => "%F0%9F%98%80",
                5 => "%ED%A0%80",
                6 => new string('9', 40),
                _ => Uri.EscapeDataString(Word()),
            };
            return $"{Uri.EscapeDataString(key)}={value}";
        });
        return string.Join("&", parts);
    }

    /// <summary>A socket frame as text: usually a typed message with hostile data.</summary>
    public string Frame()
    {
        var type = Chance(90) ? Quote(Pick(SocketTypes)) : JsonValue(1);
        return _random.Next(12) switch
        {
            0 => Body(),
            1 => "{\"type\":" + type + "}",
            2 => "{\"type\":\"metrics\",\"data\":{" + string.Join(",", Metadata.Select((m, i) => $"{Quote(m)}:{i}")) + "}}",
            3 => "{\"type\":\"metrics\",\"data\":{\"\\ud800\":1}}",
            _ => "{" + string.Join(",", new[] { "\"type\":" + type, "\"data\":" + JsonValue() }.Concat(
                Enumerable.Range(0, _random.Next(0, 3)).Select(_ => $"{Quote(Pick(Fields))}:{JsonValue(1)}"))) + "}",
        };
    }

    private string Word()
    {
        const string letters = "abcdefghijklmnopqrstuvwxyz0123456789_-.";
        var length = _random.Next(1, 12);
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++) builder.Append(letters[_random.Next(letters.Length)]);
        return builder.ToString();
    }

    private static string Deep(int levels) =>
        string.Concat(Enumerable.Repeat("{\"a\":[", levels)) + "1" + string.Concat(Enumerable.Repeat("]}", levels));

    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
