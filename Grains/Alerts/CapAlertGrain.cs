using CityArray.Grains.Interfaces.Alerts;
using CityArray.Grains.Interfaces.Overrides;

namespace CityArray.Grains.Alerts;

/// <summary>
/// One received CAP alert. Its overrides are recorded before any is activated, so a retry after a crash activates
/// exactly the same ones (override activation and cancellation are idempotent); ending the alert cancels them.
/// </summary>
public sealed class CapAlertGrain(
    [PersistentState("cap-alert", StorageNames.Grains)] IPersistentState<CapAlertState> state,
    CityArrayClock clock)
    : Grain, ICapAlertGrain
{
    private CapAlertState S => state.State;

    public async Task<CapRaiseResult> RaiseAsync(string msgType, string capStatus, IReadOnlyList<OverrideActivation> overrides)
    {
        var created = S.CreatedAt is null;
        if (created)
        {
            S.MsgType = msgType;
            S.CapStatus = capStatus;
            S.Overrides = [.. overrides];
            S.CreatedAt = clock.GetUtcNow();
            await state.WriteStateAsync();
        }
        if (!S.Raised && S.Status == CapAlertStatus.Active)
        {
            await Task.WhenAll(S.Overrides.Select(o => GrainFactory.GetGrain<IOverrideGrain>(o.Override.OverrideId).ActivateAsync(o.Override, o.Target)));
            S.Raised = true;
            await state.WriteStateAsync();
        }
        return new CapRaiseResult(created, Record());
    }

    public Task<CapAlertRecord?> GetAsync() => Task.FromResult(S.CreatedAt is null ? null : Record());

    public async Task<CapAlertRecord?> EndAsync(string status, string by)
    {
        if (S.CreatedAt is null) return null;
        if (S.Status != CapAlertStatus.Active) return Record();
        // Cancel first, then record: a retry after a crash in between cancels again (a no-op) and records.
        await Task.WhenAll(S.Overrides.Select(o => GrainFactory.GetGrain<IOverrideGrain>(o.Override.OverrideId).CancelAsync()));
        S.Status = status;
        S.EndedAt = clock.GetUtcNow();
        S.EndedBy = by;
        await state.WriteStateAsync();
        return Record();
    }

    private CapAlertRecord Record() => new(this.GetPrimaryKeyString(), S.MsgType!, S.CapStatus!, S.Status,
        S.Overrides.Select(o => o.Override.OverrideId).ToArray(), S.CreatedAt!.Value, S.EndedAt, S.EndedBy);
}
