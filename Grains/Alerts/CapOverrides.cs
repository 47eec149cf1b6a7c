using CityArray.Grains.Interfaces;
using CityArray.Grains.Interfaces.Alerts;
using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Overrides;

namespace CityArray.Grains.Alerts;

/// <summary>
/// Turns a CAP alert into overrides: one per polygon or circle of every area of the infos in the first info's
/// language (other languages are translations of the same warning, so they are validated but not shown). Each obeys
/// the rules of <c>POST /api/overrides</c> (known severity and urgency, text, headline and instruction within their
/// lengths, not already expired).
/// </summary>
public static class CapOverrides
{
    /// <summary>The most overrides (shapes) one alert may raise.</summary>
    public const int MaxShapes = 100;

    private const int MaxHeadline = 160;
    private const int MaxInstruction = 1000;
    private const int MaxText = 1000;

    /// <summary>The text a sign shows: <c>headline</c> (or <c>event</c>) and <c>instruction</c>, prefixed for Test/Exercise alerts.</summary>
    public static string DisplayText(CapAlert alert, CapInfo info)
    {
        var title = info.Headline ?? info.Event;
        var text = Prefix(alert.Status) + (info.Instruction is { } instruction ? $"{title} — {instruction}" : title);
        return Clip(text, MaxText);
    }

    /// <summary>The overrides to activate (fresh ids, created at <paramref name="now"/>), or the element that cannot be shown and why.</summary>
    public static IReadOnlyList<OverrideActivation> Plan(CapAlert alert, DateTimeOffset now, out (string Field, string Reason)? error)
    {
        error = null;
        var shown = alert.Infos.Select((info, i) => (info, i)).Where(x => x.info.Language == alert.Infos[0].Language).ToArray();
        var shapes = shown.Sum(x => x.info.Areas.Sum(a => a.Polygons.Count + a.Circles.Count));
        if (shapes > MaxShapes)
        {
            error = ("alert.info", $"has {shapes} polygons and circles; at most {MaxShapes} are accepted");
            return [];
        }
        var activations = new List<OverrideActivation>();
        foreach (var (info, i) in shown)
        {
            if (Unshowable(info, now) is { } why)
            {
                error = why.Field == "expires_at"
                    ? ($"alert.info[{i}].expires", "is already past: the alert is no longer in effect")
                    : ($"alert.info[{i}]", $"cannot be shown as an override ({why.Field}: {why.Reason})");
                return [];
            }
            var areas = info.Areas.SelectMany(a => a.Polygons.Select(p => new OverrideArea(null, GeoArea.Close(p)))
                .Concat(a.Circles.Select(c => new OverrideArea(c, null))));
            foreach (var area in areas)
            {
                var value = new SignOverride(EntityIds.NewOverride(), DisplayText(alert, info), null,
                    info.Severity.ToLowerInvariant(), info.Urgency.ToLowerInvariant(), info.Categories[0].ToLowerInvariant(),
                    info.Headline is { } h ? Clip(h, MaxHeadline) : null,
                    info.Instruction is { } s ? Clip(s, MaxInstruction) : null,
                    info.Expires, now, alert.Status.ToLowerInvariant());
                activations.Add(new OverrideActivation(value, new OverrideTarget(null, null, null, area)));
            }
        }
        return activations;
    }

    /// <summary>The override field rules a CAP info can break (the parser already checked its shapes), named as the override field.</summary>
    private static (string Field, string Reason)? Unshowable(CapInfo info, DateTimeOffset now)
    {
        if (!CapSeverity.All.Contains(info.Severity.ToLowerInvariant())) return ("severity", $"must be one of {string.Join(", ", CapSeverity.All)}");
        if (!CapUrgency.All.Contains(info.Urgency.ToLowerInvariant())) return ("urgency", $"must be one of {string.Join(", ", CapUrgency.All)}");
        if (info.Categories is not [{ Length: > 0 and <= 64 }, ..]) return ("category", "must be 1-64 characters");
        if (info.Expires is { } expires && expires <= now) return ("expires_at", "must be in the future");
        return null;
    }

    private static string Prefix(string status) => status switch
    {
        "Test" => "TEST: ",
        "Exercise" => "EXERCISE: ",
        _ => "",
    };

    /// <summary>A warning is cut rather than refused for being long: at most <paramref name="max"/> characters, ending in "…" when cut.</summary>
    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
