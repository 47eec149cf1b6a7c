using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Templates;

namespace CityArray.Grains.Interfaces.Validation;

/// <summary>
/// The caps on what one request or frame may hold, each with a default and an environment variable (read by
/// <c>InputLimitsConfiguration</c> in <c>Silo/Hosting</c>; silos and gateways register the same values, so a grain and
/// the gateway in front of it refuse the same input). Over a cap: a 400 problem naming the field, or a socket
/// <c>error</c>. See docs/limits.md.
/// </summary>
public sealed record InputLimits
{
    /// <summary>The defaults (what a process uses without the variables).</summary>
    public static readonly InputLimits Default = new();

    /// <summary>Characters a rendered template may have (<c>MAX_RENDERED_TEXT</c>, default 2000).</summary>
    public int MaxRenderedText { get; init; } = TemplateText.MaxRenderedText;

    /// <summary>Points of an override or CAP polygon (<c>MAX_POLYGON_POINTS</c>, default 1000).</summary>
    public int MaxPolygonPoints { get; init; } = OverrideArea.MaxPolygonPoints;

    /// <summary>Earlier alerts one CAP alert may reference (<c>CAP_MAX_REFERENCES</c>, default 100).</summary>
    public int MaxCapReferences { get; init; } = 100;

    /// <summary>Polygons and circles one CAP alert may raise overrides for (<c>CAP_MAX_SHAPES</c>, default 100).</summary>
    public int MaxCapShapes { get; init; } = 100;

    /// <summary>
    /// Characters of a CAP <c>sender</c> or <c>identifier</c> (<c>CAP_MAX_ID_LENGTH</c>, default 200, at most 255 so the
    /// <c>sender|identifier</c> key always fits PostgreSQL's 512-character grain key column).
    /// </summary>
    public int MaxCapIdLength { get; init; } = 200;

    /// <summary>The largest CAP key length <see cref="MaxCapIdLength"/> may allow: two ids and the '|' within 512.</summary>
    public const int MaxCapIdLengthLimit = 255;

    /// <summary>Bytes of a CAP XML document (<c>CAP_MAX_BODY_BYTES</c>, default 256 KiB); more is a 413.</summary>
    public int MaxCapBodyBytes { get; init; } = 256 * 1024;

    /// <summary>Metrics one sign <c>metrics</c> report may hold (<c>SIGN_MAX_METRICS</c>, default 64).</summary>
    public int MaxMetrics { get; init; } = 64;
}
