using CityArray.Grains.Interfaces.Transcripts;

namespace CityArray.Grains.Transcripts;

/// <summary>Stored state of a <see cref="TranscriptGrain"/>.</summary>
[GenerateSerializer, Alias("CityArray.TranscriptState")]
public sealed class TranscriptState
{
    [Id(0)] public List<TranscriptSegment> Segments { get; set; } = [];
    [Id(1)] public int LastSequence { get; set; }
}
