using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Streams;
using CityArray.Grains.Streams;
using Microsoft.Extensions.Logging;

namespace CityArray.Grains.Signs;

/// <summary>Publishing to the fleet-wide dashboard stream from grains that do not keep it open (messages, overrides, submissions).</summary>
public static class DashboardStream
{
    /// <summary>Publishes <paramref name="e"/> with <see cref="BestEffort"/>: a failure is logged, never thrown (dashboards are told best effort).</summary>
    public static Task PublishAsync(this Grain grain, DashboardEvent e, ILogger logger) =>
        BestEffort.PublishAsync(
            grain.GetStreamProvider(StreamNames.Provider).GetStream<DashboardEvent>(StreamId.Create(StreamNames.Dashboard, StreamNames.FleetKey)),
            e, logger, e.Type, grain.GetGrainId());
}
