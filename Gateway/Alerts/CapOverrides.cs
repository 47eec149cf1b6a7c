using CityArray.Gateway.Overrides;
using CityArray.Grains.Interfaces.Alerts;
using CityArray.Grains.Interfaces.Overrides;

namespace CityArray.Gateway.Alerts;

/// <summary>
/// Turns a CAP alert into overrides: one per polygon or circle of every area of the infos in the first info's
/// language (other languages are translations of the same warning, so they are validated but not shown). Each goes
/// through <see cref="OverrideRequest"/>, so it obeys exactly the rules of <c>POST /api/overrides</c>.
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
            var areas = info.Areas.SelectMany(a => a.Polygons.Select(p => new AreaRequest(null, [.. p]))
                .Concat(a.Circles.Select(c => new AreaRequest(new AreaRequest.CircleRequest(c.Center, c.RadiusM), null))));
            foreach (var area in areas)
            {
                var request = ToRequest(alert, info, area);
                if (request.Validate(now) is { } invalid)
                {
                    error = invalid.Field == "expires_at"
                        ? ($"alert.info[{i}].expires", "is already past: the alert is no longer in effect")
                        : ($"alert.info[{i}]", $"cannot be shown as an override ({invalid.Field}: {invalid.Reason})");
                    return [];
                }
                var id = $"ovr-{Guid.NewGuid():N}";
                var value = request.ToOverride(id, request.Text!, now) with { CapStatus = alert.Status.ToLowerInvariant() };
                activations.Add(new OverrideActivation(value, request.ToTarget()));
            }
        }
        return activations;
    }

    private static OverrideRequest ToRequest(CapAlert alert, CapInfo info, AreaRequest area) => new(
        Text: DisplayText(alert, info),
        TemplateId: null,
        Variables: null,
        Language: null,
        SignIds: null,
        Zone: null,
        All: null,
        Area: area,
        Severity: info.Severity.ToLowerInvariant(),
        Urgency: info.Urgency.ToLowerInvariant(),
        Category: info.Categories[0].ToLowerInvariant(),
        Headline: info.Headline is { } h ? Clip(h, MaxHeadline) : null,
        Instruction: info.Instruction is { } s ? Clip(s, MaxInstruction) : null,
        ExpiresAt: info.Expires);

    private static string Prefix(string status) => status switch
    {
        "Test" => "TEST: ",
        "Exercise" => "EXERCISE: ",
        _ => "",
    };

    /// <summary>A warning is cut rather than refused for being long: at most <paramref name="max"/> characters, ending in "…" when cut.</summary>
    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
