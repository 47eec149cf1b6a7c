namespace CityArray.Grains.Sms;

/// <summary>Stored state of the <see cref="SmsSubscribersGrain"/>.</summary>
[GenerateSerializer, Alias("CityArray.SmsSubscribersState")]
public sealed class SmsSubscribersState
{
    /// <summary>Number -> zones it subscribed to ("*" = everything).</summary>
    [Id(0)] public Dictionary<string, HashSet<string>> Subscriptions { get; set; } = [];

    /// <summary>Numbers that sent STOP.</summary>
    [Id(1)] public HashSet<string> OptedOut { get; set; } = [];
}
