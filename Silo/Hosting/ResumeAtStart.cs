using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CityArray.Silo.Hosting;

/// <summary>
/// Wakes a grain once the silo is active (the SMS queue, the weather poller) without making the silo's start depend
/// on it. After a full cluster restart the grain may still be registered on a dead silo for a few seconds; a startup
/// task that threw then would stop this silo from starting at all. Here the call runs in the background and is
/// retried; each grain's own reminder remains the backstop if every attempt fails.
/// </summary>
public static class ResumeAtStart
{
    /// <summary>Adds a startup task that calls <paramref name="wake"/> in the background until it succeeds.</summary>
    public static ISiloBuilder AddResumeTask(this ISiloBuilder silo, string what, Func<IGrainFactory, Task> wake) =>
        silo.AddStartupTask((sp, stopping) =>
        {
            var grains = sp.GetRequiredService<IGrainFactory>();
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ResumeAtStart));
            _ = RetryAsync(() => wake(grains), logger, what, TimeSpan.FromSeconds(2), attempts: 30, stopping);
            return Task.CompletedTask;
        });

    /// <summary>Calls <paramref name="attempt"/> until it succeeds, at most <paramref name="attempts"/> times; never throws.</summary>
    public static async Task<bool> RetryAsync(Func<Task> attempt, ILogger logger, string what, TimeSpan delay, int attempts,
        CancellationToken stopping)
    {
        for (var i = 1; i <= attempts && !stopping.IsCancellationRequested; i++)
        {
            try
            {
                await attempt();
                return true;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not resume {What} at start (attempt {Attempt} of {Attempts})", what, i, attempts);
            }
            try
            {
                await Task.Delay(delay, stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        logger.LogError("Gave up resuming {What} at start; its reminder will wake it", what);
        return false;
    }
}
