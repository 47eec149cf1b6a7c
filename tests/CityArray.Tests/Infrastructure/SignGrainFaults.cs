using System.Collections.Concurrent;
using CityArray.Grains.Interfaces.Signs;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CityArray.Tests.Infrastructure;

/// <summary>
/// A test-only incoming grain call filter for the embedded silo: counts the calls that reach sign grains and makes the
/// grains of chosen signs fail (as a sign grain whose storage or silo is broken would), so tests can observe fan-out
/// cost and fault isolation through the real system.
/// </summary>
public sealed class SignGrainFaults : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, bool> _failing = new(StringComparer.Ordinal);
    private long _calls;

    /// <summary>Calls that reached a sign grain (any method, timers excluded) since the last <see cref="ResetCount"/>.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    public void ResetCount() => Interlocked.Exchange(ref _calls, 0);

    /// <summary>Every call to this sign's grain (and to its credential grain) throws until <see cref="Heal"/>.</summary>
    public void Fail(string signId) => _failing[signId] = true;

    public void Heal(string signId) => _failing.TryRemove(signId, out _);

    /// <summary>Registers this filter in the server being built (pass to <see cref="EmbeddedServer.StartAsync"/> as <c>configure</c>).</summary>
    public void AddTo(WebApplicationBuilder builder) => builder.Services.AddSingleton<IIncomingGrainCallFilter>(this);

    public Task Invoke(IIncomingGrainCallContext context)
    {
        // The sign's credential grain (keyed by the sign id too) fails with it, as a broken silo would fail both.
        if (context.Grain is CityArray.Grains.Interfaces.Security.ISignCredentialGrain && _failing.ContainsKey(context.TargetId.Key.ToString()!))
            throw new InvalidOperationException($"test fault: the credential grain of sign '{context.TargetId.Key}' fails");
        if (context.Grain is not ISignGrain) return context.Invoke();
        Interlocked.Increment(ref _calls);
        var key = context.TargetId.Key.ToString();
        if (key is not null && _failing.ContainsKey(key))
            throw new InvalidOperationException($"test fault: the grain of sign '{key}' fails");
        return context.Invoke();
    }
}
