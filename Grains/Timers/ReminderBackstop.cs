namespace CityArray.Grains.Timers;

/// <summary>
/// The one way a grain keeps time: a grain timer for precision (it dies with the activation) and a reminder as the
/// durable backstop that re-activates the grain after a restart or deactivation, so the activation can start its timer
/// again. Register the reminder before starting the timer (a running timer then implies the backstop exists) and
/// unregister it when the work is over.
/// </summary>
public static class ReminderBackstop
{
    /// <summary>
    /// Registers (or moves) reminder <paramref name="name"/>: first tick after <paramref name="due"/> (never negative), then every
    /// <paramref name="period"/>, raised to the reminder service's <paramref name="minimumPeriod"/> (one minute by default).
    /// </summary>
    public static Task RegisterAsync(Grain grain, string name, TimeSpan due, TimeSpan period, TimeSpan minimumPeriod) =>
        grain.RegisterOrUpdateReminder(name, due < TimeSpan.Zero ? TimeSpan.Zero : due, period < minimumPeriod ? minimumPeriod : period);

    /// <summary>Unregisters reminder <paramref name="name"/> if it exists, and disposes <paramref name="timer"/> if one runs.</summary>
    public static async Task StopAsync(Grain grain, string name, IGrainTimer? timer)
    {
        timer?.Dispose();
        if (await grain.GetReminder(name) is { } reminder) await grain.UnregisterReminder(reminder);
    }

    /// <summary>A one-shot grain timer (no period) that does not keep the activation alive: the backstop re-activates it.</summary>
    public static IGrainTimer Once(Grain grain, TimeSpan due, Func<CancellationToken, Task> callback) =>
        grain.RegisterGrainTimer(callback, new GrainTimerCreationOptions(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan)
        {
            Interleave = false,
        });
}
