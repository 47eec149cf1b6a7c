namespace CityArray.Grains.Sms;

/// <summary>Stored state of the <see cref="SmsDispatcherGrain"/>: alerts with recipients left, oldest first.</summary>
[GenerateSerializer, Alias("CityArray.SmsDispatcherState")]
public sealed class SmsDispatcherState
{
    [Id(0)] public List<string> Queue { get; set; } = [];
}
