namespace CityArray.Grains.Interfaces.Templates;

/// <summary>What a catalog call did (the gateway maps each to an HTTP status).</summary>
public static class TemplateOutcome
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Rendered = "rendered";

    /// <summary>No template has the id.</summary>
    public const string NotFound = "not_found";

    /// <summary>A template with the id already exists (create).</summary>
    public const string Conflict = "conflict";

}
