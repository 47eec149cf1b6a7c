namespace CityArray.Grains.Interfaces.Transcripts;

/// <summary>One final piece of an event's live transcript: its text, when it was heard, its confidence and language.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.TranscriptSegment")]
public sealed record TranscriptSegment(
    [property: Id(0)] string EventId,
    [property: Id(1)] int Sequence,
    [property: Id(2)] string Text,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] double? Confidence,
    [property: Id(5)] string Language);
