using CityArray.Grains.Interfaces.Geo;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using CityArray.Grains.Interfaces.Alerts;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Gateway.Alerts;

/// <summary>
/// Reads a CAP 1.2 alert safely (no DTDs, no external entities) and validates what CityArray needs. Errors name the
/// element by path (<c>alert.info[0].area[1].polygon</c>) and say why.
/// </summary>
public static partial class CapParser
{
    public const string Namespace = "urn:oasis:names:tc:emergency:cap:1.2";

    public static readonly IReadOnlyList<string> Statuses = ["Actual", "Exercise", "System", "Test", "Draft"];
    public static readonly IReadOnlyList<string> MsgTypes = ["Alert", "Update", "Cancel", "Ack", "Error"];
    public static readonly IReadOnlyList<string> Scopes = ["Public", "Restricted", "Private"];
    public static readonly IReadOnlyList<string> Categories =
        ["Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra", "CBRNE", "Other"];
    public static readonly IReadOnlyList<string> Urgencies = ["Immediate", "Expected", "Future", "Past", "Unknown"];
    public static readonly IReadOnlyList<string> Severities = ["Extreme", "Severe", "Moderate", "Minor", "Unknown"];
    public static readonly IReadOnlyList<string> Certainties = ["Observed", "Likely", "Possible", "Unlikely", "Unknown"];

    private static readonly XNamespace Ns = Namespace;

    /// <summary>The parsed alert; throws a <see cref="RequestException"/> (400) saying which element is wrong and why.</summary>
    public static CapAlert Parse(Stream xml, InputLimits? limits = null) => ParseAlert(Load(xml), limits ?? InputLimits.Default);

    /// <summary>Parses <paramref name="xml"/> text; see <see cref="Parse(Stream, InputLimits?)"/>.</summary>
    public static CapAlert Parse(string xml, InputLimits? limits = null)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(xml));
        return Parse(stream, limits);
    }

    private static XElement Load(Stream xml)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = false,
        };
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(xml, settings);
            document = XDocument.Load(reader);
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.Ordinal))
        {
            throw Invalid("xml", "DTDs and entity declarations are not allowed");
        }
        catch (XmlException e)
        {
            throw Invalid("xml", $"is not well-formed XML ({e.Message})");
        }
        var root = document.Root!;
        if (root.Name != Ns + "alert")
            throw Invalid("alert", $"the root element must be <alert xmlns=\"{Namespace}\"> (got <{root.Name.LocalName}> in '{root.Name.NamespaceName}')");
        return root;
    }

    private static CapAlert ParseAlert(XElement alert, InputLimits limits)
    {
        const string path = "alert";
        var identifier = Id(Required(alert, "identifier", path), $"{path}.identifier", limits);
        var sender = Id(Required(alert, "sender", path), $"{path}.sender", limits);
        var sent = Time(Required(alert, "sent", path), $"{path}.sent");
        var status = OneOf(Required(alert, "status", path), Statuses, $"{path}.status");
        var msgType = OneOf(Required(alert, "msgType", path), MsgTypes, $"{path}.msgType");
        var scope = OneOf(Required(alert, "scope", path), Scopes, $"{path}.scope");
        var references = References(Optional(alert, "references", path), $"{path}.references", limits);
        if (msgType is "Update" or "Cancel" && references.Count == 0)
            throw Invalid($"{path}.references", $"is required for {msgType}: the earlier alert(s) as \"sender,identifier,sent\" triples separated by spaces");

        var infos = new List<CapInfo>();
        if (msgType is "Alert" or "Update")
        {
            var elements = alert.Elements(Ns + "info").ToArray();
            if (elements.Length == 0) throw Invalid($"{path}.info", $"at least one info is required for {msgType}");
            for (var i = 0; i < elements.Length; i++) infos.Add(ParseInfo(elements[i], $"{path}.info[{i}]", limits));
        }
        return new CapAlert(identifier, sender, sent, status, msgType, scope, references, infos);
    }

    private static CapInfo ParseInfo(XElement info, string path, InputLimits limits)
    {
        var language = Optional(info, "language", path) ?? "en-US";
        var categories = info.Elements(Ns + "category").Select(c => c.Value.Trim()).ToArray();
        if (categories.Length == 0) throw Invalid($"{path}.category", "is required (at least one)");
        foreach (var category in categories) OneOf(category, Categories, $"{path}.category");
        var @event = Required(info, "event", path);
        var urgency = OneOf(Required(info, "urgency", path), Urgencies, $"{path}.urgency");
        var severity = OneOf(Required(info, "severity", path), Severities, $"{path}.severity");
        var certainty = OneOf(Required(info, "certainty", path), Certainties, $"{path}.certainty");
        var headline = Optional(info, "headline", path);
        var description = Optional(info, "description", path);
        var instruction = Optional(info, "instruction", path);
        var expires = Optional(info, "expires", path) is { } e ? Time(e, $"{path}.expires") : (DateTimeOffset?)null;

        var elements = info.Elements(Ns + "area").ToArray();
        if (elements.Length == 0) throw Invalid($"{path}.area", "at least one area is required to find the signs to show it on");
        var areas = elements.Select((a, j) => ParseArea(a, $"{path}.area[{j}]", limits)).ToArray();
        return new CapInfo(language, categories, @event, urgency, severity, certainty, headline, description, instruction, expires, areas);
    }

    private static CapArea ParseArea(XElement area, string path, InputLimits limits)
    {
        var desc = Required(area, "areaDesc", path);
        var polygons = area.Elements(Ns + "polygon").ToArray();
        var circles = area.Elements(Ns + "circle").ToArray();
        if (polygons.Length + circles.Length == 0)
            throw Invalid(path, "needs at least one polygon or circle (areas given only by geocode cannot be placed on signs)");
        return new CapArea(desc,
            polygons.Select((p, k) => Polygon(p.Value, polygons.Length == 1 ? $"{path}.polygon" : $"{path}.polygon[{k}]", limits)).ToArray(),
            circles.Select((c, k) => Circle(c.Value, circles.Length == 1 ? $"{path}.circle" : $"{path}.circle[{k}]")).ToArray());
    }

    /// <summary>"lat,lon lat,lon ..." (a closed ring of at least 4 pairs) as <c>[longitude, latitude]</c> points.</summary>
    private static IReadOnlyList<GeoPoint> Polygon(string text, string path, InputLimits limits)
    {
        var pairs = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (pairs.Length < OverrideArea.MinPolygonPoints)
            throw Invalid(path, $"needs at least {OverrideArea.MinPolygonPoints} \"lat,lon\" pairs (got {pairs.Length})");
        if (pairs.Length > limits.MaxPolygonPoints)
            throw Invalid(path, $"has {pairs.Length} \"lat,lon\" pairs; at most {limits.MaxPolygonPoints} are accepted (MAX_POLYGON_POINTS)");
        var ring = pairs.Select((pair, n) => Point(pair, n, path)).ToArray();
        if (ring[0] != ring[^1]) throw Invalid(path, "must be a closed ring: the first and last \"lat,lon\" pairs must be equal");
        return ring;
    }

    /// <summary>"lat,lon radius_km" as a circle with a <c>[longitude, latitude]</c> center and a radius in metres.</summary>
    private static AreaCircle Circle(string text, string path)
    {
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2) throw Invalid(path, "must be \"lat,lon radius_km\"");
        var center = Point(parts[0], 0, path);
        if (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var km) || !double.IsFinite(km)
            || km <= 0 || km * 1000 > AreaCircle.MaxRadiusM)
            throw Invalid(path, $"radius '{parts[1]}' must be a number of kilometres above 0 and at most {AreaCircle.MaxRadiusM / 1000:0}");
        return new AreaCircle(center, km * 1000);
    }

    private static GeoPoint Point(string pair, int index, string path)
    {
        var parts = pair.Split(',');
        if (parts.Length != 2
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon))
            throw Invalid(path, $"pair {index + 1} '{pair}' is not \"lat,lon\" (two decimal numbers)");
        if (!double.IsFinite(lat) || lat is < -90 or > 90)
            throw Invalid(path, $"pair {index + 1} '{pair}': latitude {lat} is outside [-90, 90] (CAP pairs are \"lat,lon\", latitude first)");
        if (!double.IsFinite(lon) || lon is < -180 or > 180)
            throw Invalid(path, $"pair {index + 1} '{pair}': longitude {lon} is outside [-180, 180]");
        return new GeoPoint(lon, lat);
    }

    private static IReadOnlyList<CapReference> References(string? text, string path, InputLimits limits)
    {
        if (text is null) return [];
        var references = new List<CapReference>();
        var triples = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (triples.Length > limits.MaxCapReferences)
            throw Invalid(path, $"lists {triples.Length} references; at most {limits.MaxCapReferences} are accepted (CAP_MAX_REFERENCES)");
        foreach (var triple in triples)
        {
            var parts = triple.Split(',');
            if (parts.Length != 3 || parts.Any(p => p.Length == 0))
                throw Invalid(path, $"'{(triple.Length > 80 ? triple[..80] + "..." : triple)}' is not a \"sender,identifier,sent\" triple (triples are separated by spaces)");
            references.Add(new CapReference(Id(parts[0], path, limits), Id(parts[1], path, limits), Time(parts[2], path)));
        }
        return references;
    }

    /// <summary>The trimmed text of the one <paramref name="name"/> child; missing, empty or repeated is an error.</summary>
    private static string Required(XElement parent, string name, string path) =>
        Optional(parent, name, path) ?? throw Invalid($"{path}.{name}", "is required");

    /// <summary>The trimmed text of the <paramref name="name"/> child, or null when absent or empty; repeated is an error.</summary>
    private static string? Optional(XElement parent, string name, string path)
    {
        var elements = parent.Elements(Ns + name).Take(2).ToArray();
        if (elements.Length > 1) throw Invalid($"{path}.{name}", "must appear at most once");
        return elements.Length == 1 && elements[0].Value.Trim() is { Length: > 0 } value ? value : null;
    }

    private static string OneOf(string value, IReadOnlyList<string> allowed, string path) =>
        allowed.Contains(value) ? value : throw Invalid(path, $"'{value}' must be one of {string.Join(", ", allowed)}");

    /// <summary>
    /// identifier and sender: no spaces, commas, '|', '&lt;' or '&amp;' (CAP 1.2), at most
    /// <see cref="InputLimits.MaxCapIdLength"/> characters (200; at most 255, so the "sender|identifier" key of an alert
    /// fits the 512 characters the PostgreSQL grain key column holds).
    /// </summary>
    private static string Id(string value, string path, InputLimits limits) =>
        value.Length > 0 && value.Length <= limits.MaxCapIdLength && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || char.IsSurrogate(c) || c is ',' or '<' or '&' or '|')
            ? value
            : throw Invalid(path, $"must be 1-{limits.MaxCapIdLength} characters without spaces, commas, '|', '<' or '&'");

    private static DateTimeOffset Time(string value, string path)
    {
        if (!TimeZoned().IsMatch(value)) throw Invalid(path, $"'{value}' must be a date-time with a time zone, like 2026-07-01T18:30:00-05:00");
        try
        {
            return XmlConvert.ToDateTimeOffset(value);
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
        {
            throw Invalid(path, $"'{value}' is not a valid date-time");
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex TimeZoned();

    /// <summary>A CAP element that is missing or invalid: its path and why.</summary>
    private static RequestException Invalid(string field, string reason) => RequestException.Invalid(field, reason);
}
