using CityArray.Grains.Timers;
using CityArray.Grains.Interfaces.Sms;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CityArray.Grains.Sms;

/// <summary>
/// The paced queue of phone alerts (see <see cref="ISmsDispatcherGrain"/>): a one-second grain timer hands out
/// <see cref="TwilioOptions.MessagesPerSecond"/> requests per tick, oldest alert first; a one-minute reminder is the
/// durable backstop that restarts the timer after a restart while the stored queue is not empty.
/// </summary>
public sealed class SmsDispatcherGrain(
    [PersistentState("sms-dispatcher", StorageNames.Grains)] IPersistentState<SmsDispatcherState> state,
    IOptions<TwilioOptions> options,
    ILogger<SmsDispatcherGrain> logger) : Grain, ISmsDispatcherGrain, IRemindable
{
    private const string DrainReminder = "sms-dispatcher-drain";
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private IGrainTimer? _timer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Queue.Count > 0) StartTimer();
        return Task.CompletedTask;
    }

    public async Task EnqueueAsync(string alertId)
    {
        if (!state.State.Queue.Contains(alertId))
        {
            state.State.Queue.Add(alertId);
            await state.WriteStateAsync();
        }
        await ReminderBackstop.RegisterAsync(this, DrainReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        StartTimer();
    }

    public Task<IReadOnlyList<string>> QueuedAsync() => Task.FromResult<IReadOnlyList<string>>(state.State.Queue.ToArray());

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DrainReminder) return;
        if (state.State.Queue.Count > 0) StartTimer();
        else await StopAsync();
    }

    private void StartTimer() =>
        _timer ??= this.RegisterGrainTimer(_ => DrainAsync(), new GrainTimerCreationOptions(TimeSpan.Zero, Tick) { Interleave = false, KeepAlive = true });

    private async Task DrainAsync()
    {
        var budget = Math.Max(1, options.Value.MessagesPerSecond);
        var done = new List<string>();
        foreach (var alertId in state.State.Queue.ToArray())
        {
            if (budget <= 0) break;
            try
            {
                var batch = await GrainFactory.GetGrain<IPhoneAlertGrain>(alertId).SendBatchAsync(budget);
                budget -= batch.Requests;
                if (batch.Done) done.Add(alertId);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Phone alert {AlertId} batch failed; it stays queued", alertId);
            }
        }
        if (done.Count > 0)
        {
            state.State.Queue.RemoveAll(done.Contains);
            await state.WriteStateAsync();
        }
        if (state.State.Queue.Count == 0) await StopAsync();
    }

    private async Task StopAsync()
    {
        var timer = _timer;
        _timer = null;
        await ReminderBackstop.StopAsync(this, DrainReminder, timer);
    }
}
