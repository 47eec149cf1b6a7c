using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Gateway.Alerts;

/// <summary>
/// A parsed, validated CAP 1.2 <c>alert</c> (only the parts CityArray uses). Enumerations keep their CAP spelling
/// (<c>Actual</c>, <c>Update</c>, <c>Extreme</c>...). <see cref="Infos"/> is filled for <c>Alert</c> and <c>Update</c> only.
/// </summary>
public sealed record CapAlert(
    string Identifier,
    string Sender,
    DateTimeOffset Sent,
    string Status,
    string MsgType,
    string Scope,
    IReadOnlyList<CapReference> References,
    IReadOnlyList<CapInfo> Infos)
{
    /// <summary>The key CityArray tracks an alert by: <c>sender|identifier</c> (what CAP <c>references</c> name).</summary>
    public string Key => KeyOf(Sender, Identifier);

    public static string KeyOf(string sender, string identifier) => $"{sender}|{identifier}";
}

/// <summary>One earlier alert named in <c>references</c> (<c>sender,identifier,sent</c>).</summary>
public sealed record CapReference(string Sender, string Identifier, DateTimeOffset Sent)
{
    public string Key => CapAlert.KeyOf(Sender, Identifier);
}

/// <summary>One CAP <c>info</c> block: the event, how urgent/severe it is, the text to show and its areas.</summary>
public sealed record CapInfo(
    string Language,
    IReadOnlyList<string> Categories,
    string Event,
    string Urgency,
    string Severity,
    string Certainty,
    string? Headline,
    string? Description,
    string? Instruction,
    DateTimeOffset? Expires,
    IReadOnlyList<CapArea> Areas);

/// <summary>
/// One CAP <c>area</c>, its shapes already converted from CAP's <c>lat,lon</c> to our <c>[longitude, latitude]</c>
/// points: closed polygon rings and circles (radius in metres).
/// </summary>
public sealed record CapArea(string AreaDesc, IReadOnlyList<IReadOnlyList<GeoPoint>> Polygons, IReadOnlyList<AreaCircle> Circles);
