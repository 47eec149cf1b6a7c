namespace CityArray.Grains.Interfaces.Transcripts;

/// <summary>An event's stored transcript (key = event id): the final segments, oldest first, at most the latest 5,000.</summary>
[Alias("CityArray.ITranscriptGrain")]
public interface ITranscriptGrain : IGrainWithStringKey
{
    /// <summary>Stores a final segment and returns it with its sequence number.</summary>
    [Alias("Append")]
    Task<TranscriptSegment> AppendAsync(string text, double? confidence, string language);

    /// <summary>The stored segments after sequence <paramref name="after"/> (0 = from the start), at most <paramref name="limit"/>.</summary>
    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<TranscriptSegment>> ListAsync(int after, int limit);
}
