using CityArray.Grains.Interfaces.Transcripts;
using CityArray.Grains.ReadModel;
using Microsoft.Extensions.Logging;

namespace CityArray.Grains.Transcripts;

/// <summary>An event's transcript (see <see cref="ITranscriptGrain"/>); one write per final segment.</summary>
public sealed class TranscriptGrain(
    [PersistentState("transcript", StorageNames.Grains)] IPersistentState<TranscriptState> state,
    CityArrayClock clock,
    IReadModel readModel,
    ILogger<TranscriptGrain> logger) : Grain, ITranscriptGrain
{
    public const int MaxSegments = 5_000;
    public const int MaxText = 4_000;

    public async Task<TranscriptSegment> AppendAsync(string text, double? confidence, string language)
    {
        var trimmed = text.Trim();
        if (trimmed.Length > MaxText) trimmed = trimmed[..MaxText];
        var segment = new TranscriptSegment(this.GetPrimaryKeyString(), state.State.LastSequence + 1, trimmed, clock.GetUtcNow(), confidence, language);
        state.State.Segments.Add(segment);
        state.State.LastSequence++;
        if (state.State.Segments.Count > MaxSegments) state.State.Segments.RemoveRange(0, state.State.Segments.Count - MaxSegments);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Segments.Remove(segment);
            state.State.LastSequence--;
            throw;
        }
        await readModel.TryProjectAsync(m => m.ProjectTranscriptAsync(segment), logger, $"transcript {segment.EventId}:{segment.Sequence}");
        return segment;
    }

    public Task<IReadOnlyList<TranscriptSegment>> ListAsync(int after, int limit) =>
        Task.FromResult<IReadOnlyList<TranscriptSegment>>(state.State.Segments.Where(s => s.Sequence > after).Take(Math.Clamp(limit, 1, MaxSegments)).ToArray());
}
