namespace CityArray.Grains.Interfaces.Weather;

/// <summary>An official weather alert for the venue (OpenWeather One Call <c>alerts[]</c>).</summary>
[GenerateSerializer, Immutable, Alias("CityArray.WeatherAlert")]
public sealed record WeatherAlert(
    [property: Id(0)] string SenderName,
    [property: Id(1)] string Event,
    [property: Id(2)] DateTimeOffset Start,
    [property: Id(3)] DateTimeOffset End,
    [property: Id(4)] string Description)
{
    /// <summary>An alert about lightning or thunderstorms (English or Spanish wording).</summary>
    public bool IsLightning =>
        new[] { "lightning", "thunder", "rayo", "tormenta eléctrica", "tormenta electrica" }
            .Any(w => Event.Contains(w, StringComparison.OrdinalIgnoreCase));
}
