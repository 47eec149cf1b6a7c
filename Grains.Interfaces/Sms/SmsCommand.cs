namespace CityArray.Grains.Interfaces.Sms;

/// <summary>
/// What an inbound SMS asks for: <c>JOIN [zone]</c>, <c>STOP</c> (and Twilio's synonyms STOPALL, UNSUBSCRIBE,
/// CANCEL, END, QUIT), <c>START</c>/<c>UNSTOP</c>, <c>HELP</c>/<c>INFO</c>/<c>AYUDA</c>; anything else is a submission.
/// </summary>
public sealed record SmsCommand(string Kind, string? Zone)
{
    public const string Join = "join";
    public const string Stop = "stop";
    public const string Start = "start";
    public const string Help = "help";
    public const string Submit = "submit";

    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase) { "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT" };
    private static readonly HashSet<string> StartWords = new(StringComparer.OrdinalIgnoreCase) { "START", "UNSTOP", "YES" };
    private static readonly HashSet<string> HelpWords = new(StringComparer.OrdinalIgnoreCase) { "HELP", "INFO", "AYUDA" };

    public static SmsCommand Parse(string? body)
    {
        var words = (body ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0) return new SmsCommand(Submit, null);
        var first = words[0];
        if (words.Length == 1 && StopWords.Contains(first)) return new SmsCommand(Stop, null);
        if (words.Length == 1 && StartWords.Contains(first)) return new SmsCommand(Start, null);
        if (words.Length == 1 && HelpWords.Contains(first)) return new SmsCommand(Help, null);
        if (first.Equals("JOIN", StringComparison.OrdinalIgnoreCase) || first.Equals("UNIRME", StringComparison.OrdinalIgnoreCase))
        {
            if (words.Length == 1) return new SmsCommand(Join, null);
            if (words.Length == 2 && words[1].Length <= 64 && words[1].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                return new SmsCommand(Join, words[1].ToLowerInvariant());
        }
        return new SmsCommand(Submit, null);
    }
}
