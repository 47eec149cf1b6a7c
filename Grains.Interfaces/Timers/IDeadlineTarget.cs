namespace CityArray.Grains.Interfaces.Timers;

/// <summary>
/// A grain whose one-shot deadline its silo keeps for it (one timer per silo, not one per grain): called once the
/// deadline passes, activating the grain if it went idle. Idempotent: a grain checks its own state and time.
/// </summary>
[Alias("CityArray.IDeadlineTarget")]
public interface IDeadlineTarget : IGrain
{
    /// <summary>The deadline the grain asked for has passed.</summary>
    [Alias("DeadlinePassed")]
    Task DeadlinePassedAsync();
}
