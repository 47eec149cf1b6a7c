using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Transcripts;
using CityArray.Grains.Interfaces.Events;

namespace CityArray.Grains.ReadModel;

/// <summary>
/// Where grains project what they store for analytics (MongoDB when <c>MONGODB_URL</c> is set, else nowhere). Grains stay
/// the source of truth: a projection is an idempotent upsert keyed by the grain's id, best effort, never awaited by a
/// user beyond its own timeout, and replaying it duplicates nothing.
/// </summary>
public interface IReadModel
{
    /// <summary>Upserts an event (its current status, participant count and location).</summary>
    Task ProjectEventAsync(EventView ev);

    /// <summary>Upserts one final transcript segment.</summary>
    Task ProjectTranscriptAsync(TranscriptSegment segment);

    /// <summary>Upserts one point of a sign's metrics time series (keyed by sign and time, so a replay replaces itself).</summary>
    Task ProjectSignMetricsAsync(string signId, MetricsSample sample);
}
