using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Transcripts;
using CityArray.Grains.Interfaces.Events;

namespace CityArray.Grains.ReadModel;

/// <summary>No read model configured: projections do nothing.</summary>
public sealed class NoReadModel : IReadModel
{
    public Task ProjectEventAsync(EventView ev) => Task.CompletedTask;

    public Task ProjectTranscriptAsync(TranscriptSegment segment) => Task.CompletedTask;

    public Task ProjectSignMetricsAsync(string signId, MetricsSample sample) => Task.CompletedTask;
}
