namespace CityArray.Tests.Infrastructure;

/// <summary>Polls a condition until it holds, failing with a description of the last state when it never does.</summary>
public static class Eventually
{
    public static async Task UntilAsync(Func<Task<bool>> condition, Func<string>? state = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"condition not met in time{(state is null ? "" : $": {state()}")}");
            await Task.Delay(50);
        }
    }
}
