using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace CityArray.Grains.Streams;

/// <summary>
/// The one way grains publish what is only news (dashboard events, event notifications): the stored state is the
/// truth and memory streams are not durable, so a failed publish is logged and never fails the caller's change.
/// </summary>
public static class BestEffort
{
    /// <summary>Publishes <paramref name="item"/> on <paramref name="stream"/>; a failure is logged as a warning naming <paramref name="what"/>.</summary>
    public static async Task PublishAsync<T>(IAsyncStream<T> stream, T item, ILogger logger, string what, object? about)
    {
        try
        {
            await stream.OnNextAsync(item);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not publish {What} for {About}", what, about);
        }
    }
}
