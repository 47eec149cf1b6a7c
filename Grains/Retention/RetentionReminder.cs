using Orleans.Hosting;

namespace CityArray.Grains.Retention;

/// <summary>
/// The per-grain "retention" reminder: due when the grain's retention period is over, it lets the grain clear its
/// state (<c>ClearStateAsync</c>, the storage row is deleted) and then unregisters itself. It repeats at the
/// reminder minimum only if clearing failed (storage down), so it is retried.
/// </summary>
public static class RetentionReminder
{
    public const string Name = "retention";

    /// <summary>Registers (or moves) the reminder to fire at <paramref name="at"/>.</summary>
    public static Task ScheduleAsync(Grain grain, DateTimeOffset at, ReminderOptions reminders, TimeProvider clock)
    {
        var due = at - clock.GetUtcNow();
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        var retry = reminders.MinimumReminderPeriod > TimeSpan.FromMinutes(1) ? reminders.MinimumReminderPeriod : TimeSpan.FromMinutes(1);
        return grain.RegisterOrUpdateReminder(Name, due, retry);
    }

    /// <summary>Unregisters the reminder once the state is cleared.</summary>
    public static async Task DoneAsync(Grain grain)
    {
        if (await grain.GetReminder(Name) is { } reminder) await grain.UnregisterReminder(reminder);
    }
}
