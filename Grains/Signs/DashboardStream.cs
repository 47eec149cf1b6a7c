using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Streams;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace CityArray.Grains.Signs;

/// <summary>Publishing to the fleet-wide dashboard stream from grains that do not keep it open (messages, overrides, submissions).</summary>
public static class DashboardStream
{
    /// <summary>Publishes <paramref name="e"/>; a failure is logged, never thrown (dashboards are told best effort).</summary>
    public static async Task PublishAsync(this Grain grain, DashboardEvent e, ILogger logger)
    {
        try
        {
            var stream = grain.GetStreamProvider(StreamNames.Provider)
                .GetStream<DashboardEvent>(StreamId.Create(StreamNames.Dashboard, StreamNames.FleetKey));
            await stream.OnNextAsync(e);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not publish {Type} from {Grain}", e.Type, grain.GetGrainId());
        }
    }
}
