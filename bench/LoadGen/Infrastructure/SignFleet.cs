using CityArray.Bench.Shared;

namespace CityArray.LoadGen.Infrastructure;

/// <summary>A fleet of reference sign clients sharing counters; connects them with bounded concurrency.</summary>
public sealed class SignFleet : IAsyncDisposable
{
    private readonly List<SignClient> _clients = [];

    public SignFleetCounters Counters { get; } = new();

    public IReadOnlyList<SignClient> Clients => _clients;

    /// <summary>Adds and connects signs <c>{prefix}{from}</c> .. <c>{prefix}{to-1}</c>.</summary>
    public async Task AddAsync(Uri baseUri, string prefix, int from, int to, Func<SignClientOptions, SignClientOptions>? configure = null,
        int concurrency = 100, Action<SignClient>? onCreated = null)
    {
        var created = new List<SignClient>();
        for (var i = from; i < to; i++)
        {
            var options = new SignClientOptions { BaseUri = baseUri, SignId = $"{prefix}{i}", Counters = Counters, HeartbeatInterval = TimeSpan.FromSeconds(30) };
            var client = new SignClient(configure?.Invoke(options) ?? options);
            onCreated?.Invoke(client);
            created.Add(client);
        }
        _clients.AddRange(created);
        await Parallel.ForEachAsync(created, new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (c, ct) => await c.StartAsync(ct));
    }

    /// <summary>Waits until every client is connected (true) or the timeout passes (false).</summary>
    public async Task<bool> WaitAllConnectedAsync(TimeSpan timeout, Func<SignClient, bool>? alsoRequire = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_clients.All(c => c.IsConnected && (alsoRequire?.Invoke(c) ?? true))) return true;
            await Task.Delay(50);
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var chunk in _clients.Chunk(500)) await Task.WhenAll(chunk.Select(c => c.DisposeAsync().AsTask()));
        _clients.Clear();
    }
}
