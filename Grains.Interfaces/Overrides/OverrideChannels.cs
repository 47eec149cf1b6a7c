namespace CityArray.Grains.Interfaces.Overrides;

/// <summary>The channels an override may go out on (<c>channels</c> of <c>POST /api/overrides</c>); <c>signs</c> is always one of them.</summary>
public static class OverrideChannels
{
    public const string Signs = "signs";
    public const string Sms = "sms";
    public const string Voice = "voice";

    /// <summary>Every accepted value.</summary>
    public static readonly IReadOnlyList<string> All = [Signs, Sms, Voice];
}
