using CityArray.Grains.Interfaces.Video;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Timers;

namespace CityArray.Grains.Video;

/// <summary>
/// One event's Daily room. What is wanted is stored first (<c>pending</c> or <c>closing</c>), then Daily is asked;
/// a failure is recorded and retried every <see cref="DailyOptions.RetryInterval"/> on a grain timer while the grain
/// is active, with a one-minute reminder as the durable backstop that re-activates it after a restart. When a
/// retried room finally exists, the event learns its URL (one-way call, so no call cycle with the event grain).
/// Daily never makes a call of this grain fail: callers get null until the room exists.
/// </summary>
public sealed class VideoRoomGrain(
    [PersistentState("video-room", StorageNames.Grains)] IPersistentState<VideoRoomState> state,
    DailyClient daily,
    CityArrayClock clock,
    IOptions<DailyOptions> options,
    ILogger<VideoRoomGrain> logger) : Grain, IVideoRoomGrain, IRemindable
{
    internal const string None = "none";
    internal const string Pending = "pending";
    internal const string Open = "open";
    internal const string Closing = "closing";
    internal const string Closed = "closed";
    private const string RetryReminder = "video-room-retry";

    private IGrainTimer? _retryTimer;

    private VideoRoomState S => state.State;

    private string EventId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Status is Pending or Closing) StartRetryTimer();
        return Task.CompletedTask;
    }

    public async Task<string?> OpenAsync(DateTimeOffset expiresAt)
    {
        if (S.Status == None)
        {
            S.Status = Pending;
            S.RoomName = RoomNameOf(EventId);
            S.ExpiresAt = expiresAt;
            await state.WriteStateAsync();
        }
        if (S.Status == Pending) await TryCreateAsync(notifyEvent: false);
        return S.Status == Open ? S.RoomUrl : null;
    }

    public async Task<VideoJoin> JoinAsync(string userId, string userName, bool isOwner)
    {
        if (S.Status == Pending) await TryCreateAsync(notifyEvent: false);
        if (S.Status != Open) return new VideoJoin(null, null);
        try
        {
            var token = await daily.CreateMeetingTokenAsync(S.RoomName!, userId, userName, isOwner, S.ExpiresAt!.Value);
            return new VideoJoin(S.RoomUrl, token);
        }
        catch (Exception e)
        {
            logger.LogWarning("Daily meeting token for event {EventId} failed: {Error}", EventId, e.Message);
            return new VideoJoin(S.RoomUrl, null);
        }
    }

    public async Task CloseAsync()
    {
        if (S.Status is Closed or None) return;
        if (S.Status != Closing)
        {
            S.Status = Closing;
            await state.WriteStateAsync();
        }
        await TryDeleteAsync();
    }

    public Task<VideoRoomView> GetAsync() =>
        Task.FromResult(new VideoRoomView(S.Status, S.RoomName, S.RoomUrl, S.ExpiresAt, S.FailedAttempts, S.LastError));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != RetryReminder) return;
        await RetryAsync();
    }

    /// <summary>Daily room names: letters, digits, '-' and '_'; event ids are hex.</summary>
    internal static string RoomNameOf(string eventId) => $"cityarray-{eventId}";

    private async Task RetryAsync()
    {
        if (S.Status == Pending) await TryCreateAsync(notifyEvent: true);
        else if (S.Status == Closing) await TryDeleteAsync();
        else await StopRetryingAsync();
    }

    private async Task TryCreateAsync(bool notifyEvent)
    {
        if (clock.GetUtcNow() >= S.ExpiresAt)
        {
            // The event is over before Daily ever answered: nothing to create.
            S.Status = Closed;
            await state.WriteStateAsync();
            await StopRetryingAsync();
            return;
        }
        string url;
        try
        {
            url = await daily.CreateRoomAsync(S.RoomName!, S.ExpiresAt!.Value);
        }
        catch (Exception e)
        {
            // Only the HTTP call is guarded: Daily down, slow, refusing or answering nonsense (timeouts, open circuit).
            await RecordFailureAsync("create", e);
            return;
        }
        S.RoomUrl = url;
        S.Status = Open;
        S.LastError = null;
        await state.WriteStateAsync();
        await StopRetryingAsync();
        logger.LogInformation("Daily room {Room} is open for event {EventId}", S.RoomName, EventId);
        if (notifyEvent) await GrainFactory.GetGrain<IEventGrain>(EventId).RoomReadyAsync(url);
    }

    private async Task TryDeleteAsync()
    {
        try
        {
            await daily.DeleteRoomAsync(S.RoomName!);
        }
        catch (Exception e)
        {
            await RecordFailureAsync("delete", e);
            return;
        }
        S.Status = Closed;
        S.LastError = null;
        await state.WriteStateAsync();
        await StopRetryingAsync();
        logger.LogInformation("Daily room {Room} deleted for event {EventId}", S.RoomName, EventId);
    }

    private async Task RecordFailureAsync(string what, Exception e)
    {
        logger.LogWarning("Daily {What} room for event {EventId} failed (retrying): {Error}", what, EventId, e.Message);
        S.FailedAttempts++;
        S.LastError = $"{what}: {e.Message}";
        if (S.LastError.Length > 300) S.LastError = S.LastError[..300];
        await state.WriteStateAsync();
        await ReminderBackstop.RegisterAsync(this, RetryReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        StartRetryTimer();
    }

    private void StartRetryTimer()
    {
        _retryTimer ??= ReminderBackstop.Every(this, options.Value.RetryInterval, _ => RetryAsync());
    }

    private async Task StopRetryingAsync()
    {
        var timer = _retryTimer;
        _retryTimer = null;
        await ReminderBackstop.StopAsync(this, RetryReminder, timer);
    }
}
