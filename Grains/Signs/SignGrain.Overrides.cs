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

    public async Task RemoveOverrideAsync(string overrideId)
    {
        var o = _overrides.State;
        // The one being removed counts as shown even if it just expired: the sign still displays it until told.
        var shown = o.Active.Where(a => a.OverrideId == overrideId || !a.IsExpired(Now)).MaxBy(a => a.CreatedAt);
        if (o.Active.RemoveAll(a => a.OverrideId == overrideId) == 0) return;
        o.Acked.Remove(overrideId);
        await _overrides.WriteStateAsync();
        await PublishAsync(DashboardEvent.SignUpdate);
        if (_connectionId is null || shown?.OverrideId != overrideId) return;
        await PushOverrideAsync(SignCommand.OverrideCancelled, shown);
        if (ShownOverride() is { } next) await PushOverrideAsync(SignCommand.OverrideOn, next);
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
