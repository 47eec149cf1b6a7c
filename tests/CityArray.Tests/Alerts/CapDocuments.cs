using System.Text.RegularExpressions;

namespace CityArray.Tests.Alerts;

/// <summary>CAP test documents: the sample files under Alerts/Samples, and small alerts built for one test.</summary>
public static partial class CapDocuments
{
    /// <summary>A sample document; any <c>expires</c> is moved to two hours from now so the sample never goes stale.</summary>
    public static string Sample(string name) =>
        Expires().Replace(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Alerts", "Samples", name)),
            $"<expires>{DateTimeOffset.UtcNow.AddHours(2):yyyy-MM-ddTHH:mm:ss}+00:00</expires>");

    /// <summary>A CAP alert with one info whose one area holds <paramref name="shapes"/> (<c>&lt;polygon&gt;</c>/<c>&lt;circle&gt;</c> elements).</summary>
    public static string Build(string identifier, string shapes, string status = "Actual", string msgType = "Alert", string? references = null,
        string sender = "test@cityarray.example", string headline = "Gas leak near Gate 4", string? instruction = "Keep clear of Gate 4; use Gate 2.",
        string scope = "Public") =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
          <identifier>{identifier}</identifier>
          <sender>{sender}</sender>
          <sent>2026-07-12T17:40:00-05:00</sent>
          <status>{status}</status>
          <msgType>{msgType}</msgType>
          <scope>{scope}</scope>
          {(references is null ? "" : $"<references>{references}</references>")}
          <info>
            <category>Safety</category>
            <event>Gas leak</event>
            <urgency>Immediate</urgency>
            <severity>Severe</severity>
            <certainty>Observed</certainty>
            <headline>{headline}</headline>
            {(instruction is null ? "" : $"<instruction>{instruction}</instruction>")}
            <area>
              <areaDesc>Gate 4</areaDesc>
              {shapes}
            </area>
          </info>
        </alert>
        """;

    /// <summary>A closed CAP polygon ("lat,lon" pairs) for the box [lat0,lat1] x [lon0,lon1].</summary>
    public static string Box(double lat0, double lon0, double lat1, double lon1) =>
        FormattableString.Invariant($"<polygon>{lat0},{lon0} {lat0},{lon1} {lat1},{lon1} {lat1},{lon0} {lat0},{lon0}</polygon>");

    [GeneratedRegex("<expires>[^<]*</expires>")]
    private static partial Regex Expires();
}
