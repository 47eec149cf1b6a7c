using Microsoft.Extensions.Logging;

namespace CityArray.Grains.Timers;

/// <summary>
/// The one way a grain keeps time: a grain timer for precision (it dies with the activation) and a reminder as the
/// durable backstop that re-activates the grain after a restart or deactivation, so the activation can start its timer
/// again. Register the reminder before starting the timer (a running timer then implies the backstop exists) and
/// unregister it when the work is over. The <c>OrLog</c> variants are for grains whose timer keeps working without the
/// backstop while the activation lives: a failing reminder service is logged, never fails the caller.
/// </summary>
public static class ReminderBackstop
{
    /// <summary>
    /// Registers (or moves) reminder <paramref name="name"/>: first tick after <paramref name="due"/> (never negative), then every
    /// <paramref name="period"/>, raised to the reminder service's <paramref name="minimumPeriod"/> (one minute by default).
    /// </summary>
    public static Task RegisterAsync(Grain grain, string name, TimeSpan due, TimeSpan period, TimeSpan minimumPeriod) =>
        grain.RegisterOrUpdateReminder(name, due < TimeSpan.Zero ? TimeSpan.Zero : due, period < minimumPeriod ? minimumPeriod : period);

    /// <summary><see cref="RegisterAsync"/>, logging a failure as a warning instead of throwing it (the timer still runs).</summary>
    public static async Task RegisterOrLogAsync(Grain grain, string name, TimeSpan due, TimeSpan period, TimeSpan minimumPeriod, ILogger logger)
    {
        try
        {
            await RegisterAsync(grain, name, due, period, minimumPeriod);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not register reminder {Reminder} of {Grain}; the timer still runs while this activation lives",
                name, grain.GetGrainId());
        }
    }

    /// <summary>Unregisters reminder <paramref name="name"/> if it exists, and disposes <paramref name="timer"/> if one runs.</summary>
    public static async Task StopAsync(Grain grain, string name, IGrainTimer? timer)
    {
        timer?.Dispose();
        if (await grain.GetReminder(name) is { } reminder) await grain.UnregisterReminder(reminder);
    }

    /// <summary><see cref="StopAsync"/>, logging a failure as a warning instead of throwing it (the next tick tries again).</summary>
    public static async Task StopOrLogAsync(Grain grain, string name, IGrainTimer? timer, ILogger logger)
    {
        try
        {
            await StopAsync(grain, name, timer);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not remove reminder {Reminder} of {Grain}", name, grain.GetGrainId());
        }
    }

    /// <summary>
    /// A periodic grain timer (first tick after <paramref name="period"/>, not interleaved) that keeps the activation alive
    /// while there is work to retry; <see cref="StopAsync"/> disposes it with the backstop.
    /// </summary>
    public static IGrainTimer Every(Grain grain, TimeSpan period, Func<CancellationToken, Task> callback) =>
        grain.RegisterGrainTimer(callback, new GrainTimerCreationOptions(period, period) { Interleave = false, KeepAlive = true });

    /// <summary>
    /// A one-shot grain timer (no period, not interleaved). By default it does not keep the activation alive (the backstop
    /// re-activates it); <paramref name="keepAlive"/> keeps it alive until the timer fires, for deadlines that must not wait
    /// for the backstop's next tick (a sign going offline, an override expiring).
    /// </summary>
    public static IGrainTimer Once(Grain grain, TimeSpan due, Func<CancellationToken, Task> callback, bool keepAlive = false) =>
        grain.RegisterGrainTimer(callback, new GrainTimerCreationOptions(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan)
        {
            Interleave = false,
            KeepAlive = keepAlive,
        });
}
