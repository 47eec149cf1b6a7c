namespace CityArray.Grains.Interfaces.Sms;

/// <summary>
/// Who gets phone alerts (key 0): numbers that texted <c>JOIN</c> (everything) or <c>JOIN zone</c> (that zone and
/// alerts to all), and numbers that texted <c>STOP</c>, which get nothing from any alert, even one naming them,
/// until they text <c>JOIN</c> or <c>START</c> again.
/// </summary>
[Alias("CityArray.ISmsSubscribersGrain")]
public interface ISmsSubscribersGrain : IGrainWithIntegerKey
{
    /// <summary>Subscribes a number (to a zone, or to everything when null) and clears its opt-out.</summary>
    [Alias("Join")]
    Task JoinAsync(string number, string? zone);

    /// <summary>Opts a number out of everything (STOP).</summary>
    [Alias("Stop")]
    Task StopAsync(string number);

    /// <summary>Opts a number back in (START) with its previous subscriptions.</summary>
    [Alias("Start")]
    Task StartAsync(string number);

    /// <summary>Numbers to alert for a zone (its subscribers and those of everything), or every subscriber for null.</summary>
    [Alias("Resolve"), ReadOnly]
    Task<IReadOnlyList<string>> ResolveAsync(string? zone);

    /// <summary>Of <paramref name="numbers"/>, those that opted out.</summary>
    [Alias("OptedOut"), ReadOnly]
    Task<IReadOnlySet<string>> OptedOutAsync(IReadOnlyList<string> numbers);
}
