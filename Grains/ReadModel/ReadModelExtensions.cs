using Microsoft.Extensions.Logging;

namespace CityArray.Grains.ReadModel;

/// <summary>Runs a projection without letting the read model fail or stall the grain that owns the data.</summary>
public static class ReadModelExtensions
{
    public static async Task TryProjectAsync(this IReadModel readModel, Func<IReadModel, Task> project, ILogger logger, string what)
    {
        try
        {
            await project(readModel).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e)
        {
            logger.LogWarning("Read model projection of {What} failed: {Error}", what, e.Message);
        }
    }
}
