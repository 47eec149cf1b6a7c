using CityArray.Grains.Interfaces;
using CityArray.Grains.Interfaces.Alerts;
using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Grains.Alerts;

/// <summary>
/// Turns a CAP alert into overrides: one per polygon or circle of every area of the infos in the first info's
/// language (other languages are translations of the same warning, so they are validated but not shown). Each obeys
/// the rules of <c>POST /api/overrides</c> (known severity and urgency, text, headline and instruction within their
/// lengths, not already expired).
/// </summary>
public static class CapOverrides
{
    /// <summary>The most overrides (shapes) one alert may raise by default (<see cref="InputLimits.MaxCapShapes"/>, <c>CAP_MAX_SHAPES</c>).</summary>
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

    /// <summary>
    /// The overrides to activate (fresh ids, created at <paramref name="now"/>); throws a <see cref="RequestException"/>
    /// naming the element that cannot be shown and why.
    /// </summary>
    public static IReadOnlyList<OverrideActivation> Plan(CapAlert alert, DateTimeOffset now, int maxShapes = MaxShapes)
    {
        var shown = alert.Infos.Select((info, i) => (info, i)).Where(x => x.info.Language == alert.Infos[0].Language).ToArray();
        var shapes = shown.Sum(x => x.info.Areas.Sum(a => a.Polygons.Count + a.Circles.Count));
        if (shapes > maxShapes)
            throw RequestException.Invalid("alert.info", $"has {shapes} polygons and circles; at most {maxShapes} are accepted (CAP_MAX_SHAPES)");
        var activations = new List<OverrideActivation>();
        foreach (var (info, i) in shown)
        {
            CheckShowable(info, i, now);
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

    /// <summary>
    /// Throws when info <paramref name="i"/> breaks an override field rule (the parser already checked its shapes): an
    /// expired info names <c>alert.info[i].expires</c>, any other names the info and the override field.
    /// </summary>
    private static void CheckShowable(CapInfo info, int i, DateTimeOffset now)
    {
        if (info.Expires is { } expires && expires <= now)
            throw RequestException.Invalid($"alert.info[{i}].expires", "is already past: the alert is no longer in effect");
        var why = !CapSeverity.All.Contains(info.Severity.ToLowerInvariant()) ? $"severity: must be one of {string.Join(", ", CapSeverity.All)}"
            : !CapUrgency.All.Contains(info.Urgency.ToLowerInvariant()) ? $"urgency: must be one of {string.Join(", ", CapUrgency.All)}"
            : info.Categories is not [{ Length: > 0 and <= 64 }, ..] ? "category: must be 1-64 characters"
            : null;
        if (why is not null) throw RequestException.Invalid($"alert.info[{i}]", $"cannot be shown as an override ({why})");
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
