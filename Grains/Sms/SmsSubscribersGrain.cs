using CityArray.Grains.Interfaces.Sms;

namespace CityArray.Grains.Sms;

/// <summary>SMS subscribers and opt-outs (one grain for the whole service; see <see cref="ISmsSubscribersGrain"/>).</summary>
public sealed class SmsSubscribersGrain(
    [PersistentState("sms-subscribers", StorageNames.Grains)] IPersistentState<SmsSubscribersState> state) : Grain, ISmsSubscribersGrain
{
    private const string Everything = "*";

    private SmsSubscribersState S => state.State;

    public async Task JoinAsync(string number, string? zone)
    {
        if (!S.Subscriptions.TryGetValue(number, out var zones)) S.Subscriptions[number] = zones = [];
        var changed = zones.Add(zone ?? Everything) | S.OptedOut.Remove(number);
        if (changed) await state.WriteStateAsync();
    }

    public async Task StopAsync(string number)
    {
        if (S.OptedOut.Add(number)) await state.WriteStateAsync();
    }

    public async Task StartAsync(string number)
    {
        if (S.OptedOut.Remove(number)) await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> ResolveAsync(string? zone)
    {
        IReadOnlyList<string> numbers = S.Subscriptions
            .Where(s => !S.OptedOut.Contains(s.Key) && (zone is null || s.Value.Contains(Everything) || s.Value.Contains(zone)))
            .Select(s => s.Key)
            .Order(StringComparer.Ordinal)
            .ToArray();
        return Task.FromResult(numbers);
    }

    public Task<IReadOnlySet<string>> OptedOutAsync(IReadOnlyList<string> numbers) =>
        Task.FromResult<IReadOnlySet<string>>(numbers.Where(S.OptedOut.Contains).ToHashSet());
}
