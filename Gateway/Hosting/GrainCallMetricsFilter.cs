using System.Diagnostics;
using CityArray.Gateway.Infrastructure;

namespace CityArray.Gateway.Hosting;

/// <summary>
/// Records the duration and outcome of every grain call the gateway makes (<c>cityarray.grain_call.duration</c>). Calls
/// grains make to each other (the embedded silo shares this process and its filters) pass untimed, so the metric means
/// the same in embedded and cluster mode and the silo's internal calls pay nothing for it.
/// </summary>
public sealed class GrainCallMetricsFilter : IOutgoingGrainCallFilter
{
    public Task Invoke(IOutgoingGrainCallContext context) =>
        context.SourceContext?.GrainInstance is Grain ? context.Invoke() : TimedAsync(context);

    private static async Task TimedAsync(IOutgoingGrainCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            await context.Invoke();
        }
        catch
        {
            outcome = "error";
            throw;
        }
        finally
        {
            CityArrayMetrics.GrainCallDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("interface", context.InterfaceName),
                new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}
