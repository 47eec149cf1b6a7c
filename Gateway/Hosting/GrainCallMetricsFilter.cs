using System.Diagnostics;
using CityArray.Gateway.Infrastructure;

namespace CityArray.Gateway.Hosting;

/// <summary>Records the duration and outcome of every grain call this process makes (<c>cityarray.grain_call.duration</c>).</summary>
public sealed class GrainCallMetricsFilter : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
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
