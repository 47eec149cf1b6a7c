namespace CityArray.Grains.Interfaces;

/// <summary>
/// The one place new ids are made: overrides <c>ovr-</c>, messages <c>msg-</c>, submissions <c>sub-</c> and templates
/// <c>tpl-</c> followed by hex, and civic users, events and collectibles as 32 lower-case hex characters.
/// </summary>
public static class EntityIds
{
    public const string OverridePrefix = "ovr-";
    public const string MessagePrefix = "msg-";
    public const string SubmissionPrefix = "sub-";
    public const string TemplatePrefix = "tpl-";

    /// <summary>How long a generated template id is (<c>tpl-</c> and 12 hex characters).</summary>
    public const int TemplateIdLength = 16;

    public static string NewOverride() => OverridePrefix + Hex();

    public static string NewMessage() => MessagePrefix + Hex();

    public static string NewSubmission() => SubmissionPrefix + Hex();

    public static string NewTemplate() => (TemplatePrefix + Hex())[..TemplateIdLength];

    /// <summary>The message an approved submission is sent as: one per submission, so a retried approval never sends twice.</summary>
    public static string MessageOfSubmission(string submissionId) => MessagePrefix + submissionId;

    /// <summary>A civic id (user, event, collectible): 32 lower-case hex characters.</summary>
    public static string NewCivic() => Hex();

    private static string Hex() => Guid.NewGuid().ToString("N");
}
