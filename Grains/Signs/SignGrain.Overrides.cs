using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Signs;

/// <summary>The sign's active overrides: apply, remove, ack, and which one it shows.</summary>
public sealed partial class SignGrain
{
    public async Task<bool> ApplyOverrideAsync(SignOverride value)
    {
        var o = _overrides.State;
        if (value.IsExpired(Now)) return _connectionId is not null;
        if (o.Active.All(a => a.OverrideId != value.OverrideId))
        {
            o.Active.Add(value);
            await _overrides.WriteStateAsync();
            await PublishAsync(DashboardEvent.SignUpdate);
        }
        return _connectionId is not null;
    }

    public async Task<OverrideRemoval> RemoveOverrideAsync(string overrideId)
    {
        var o = _overrides.State;
        // The one being removed counts as shown even if it just expired: the sign still displays it until told.
        var shown = o.Active.Where(a => a.OverrideId == overrideId || !a.IsExpired(Now)).MaxBy(a => a.CreatedAt);
        var removed = o.Active.Find(a => a.OverrideId == overrideId);
        if (removed is null) return new OverrideRemoval(false, null);
        o.Active.Remove(removed);
        o.Acked.Remove(overrideId);
        var wasShown = shown?.OverrideId == overrideId;
        var tellNow = wasShown && _connectionId is not null;
        if (wasShown && !tellNow)
        {
            o.PendingCancels.Add(removed);
            if (o.PendingCancels.Count > PendingCancelsKept) o.PendingCancels.RemoveAt(0);
        }
        await _overrides.WriteStateAsync();
        await PublishAsync(DashboardEvent.SignUpdate);
        return new OverrideRemoval(tellNow, tellNow ? ShownOverride() : null);
    }

    /// <summary>On connect: tells the sign about overrides that ended while it was away, then what it should show.</summary>
    private async Task SendOverridesOnConnectAsync()
    {
        var pending = _overrides.State.PendingCancels;
        if (pending.Count > 0)
        {
            foreach (var cancelled in pending) await PushOverrideAsync(SignCommand.OverrideCancelled, cancelled);
            pending.Clear();
            await _overrides.WriteStateAsync();
        }
        if (ShownOverride() is { } shown) await PushOverrideAsync(SignCommand.OverrideOn, shown);
    }

    private async Task<bool> AckOverrideAsync(string overrideId)
    {
        var o = _overrides.State;
        if (o.Acked.Contains(overrideId)) return true;
        o.Acked.Add(overrideId);
        await _overrides.WriteStateAsync();
        await GrainFactory.GetGrain<IOverrideGrain>(overrideId).ReportAckedAsync(SignId, Now);
        await PublishAsync(DashboardEvent.MessageAck, new MessageNotice(overrideId, null, null, null, SignId));
        return true;
    }

    /// <summary>The override the sign shows: the newest active, unexpired one, or null.</summary>
    private SignOverride? ShownOverride() => _overrides.State.Active.Where(a => !a.IsExpired(Now)).MaxBy(a => a.CreatedAt);

    private Task PushOverrideAsync(string type, SignOverride value) => _commands.OnNextAsync(new SignCommand(type, Override: value));
}
