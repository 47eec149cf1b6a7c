namespace CityArray.Grains.Signs;

/// <summary>
/// What a fan-out over sign grains returned: each sign's result in input order (default for a sign that could not be
/// reached) and the signs whose grain still failed after the retries.
/// </summary>
public sealed record FanOutResult<T>(T?[] Results, IReadOnlyList<string> Failed);
