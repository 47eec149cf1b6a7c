using CityArray.Grains.Interfaces.Streams;
using CityArray.Grains.ReadModel;
using CityArray.Grains.Retention;
using CityArray.Grains.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using CityArray.Grains.Geo;
using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Users;
using CityArray.Grains.Interfaces.Validation;
using CityArray.Grains.Interfaces.Timers;
using CityArray.Grains.Timers;
using CityArray.Grains.Video;

namespace CityArray.Grains.Events;

/// <summary>
/// One event. Collectibles drop on a grain timer every <see cref="CivicOptions.DropInterval"/> while the event is
/// active and has participants (nobody would see them otherwise); a reminder with the same period (at least the
/// reminder minimum, one minute by default) is the durable backstop that re-activates the grain, and so the timer,
/// after a restart. Notifications go to the event's stream. An event still active
/// <see cref="CivicOptions.MaxEventLifetime"/> after its creation ends by itself (a deadline its silo's
/// <see cref="GrainDeadlines"/> keeps, scheduled on creation and on each activation, and every changing call), exactly
/// like a creator's end: out of search, no more drops, room deleted. No reminder and no timer per event (thousands of
/// events would each hold one): the deadline calls the event at that moment, activating it if it went idle; after a
/// silo restart, an event ends on its next activation, which any search that finds it causes. <see cref="GetAsync"/>
/// never writes: past that moment it answers the event as ended until the deadline's call ends it.
/// </summary>
public sealed partial class EventGrain(
    [PersistentState("event", StorageNames.Grains)] IPersistentState<EventState> state,
    IOptions<CivicOptions> options,
    IOptions<ReminderOptions> reminderOptions,
    IOptions<RetentionOptions> retention,
    IVideoRooms videoRooms,
    IReadModel readModel,
    CityArrayClock clock,
    GrainDeadlines deadlines,
    ILogger<EventGrain> logger) : Grain, IEventGrain, IRemindable, IDeadlineTarget
{
    private const string DropReminder = "collectible-drops";
    private readonly Dictionary<string, Queue<DateTimeOffset>> _chatTimes = [];
    private IGrainTimer? _dropTimer;
    private DateTimeOffset? _lastManualDrop;
    private IAsyncStream<EventNotification>? _stream;

    private EventState S => state.State;

    private string EventId => this.GetPrimaryKeyString();

    private CivicOptions Options => options.Value;

    private bool IsActive => S.Event is { Status: EventStatus.Active };

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (IsActive && S.Participants.Count > 0) StartDropTimer();
        if (IsActive) ScheduleLifetimeEnd();
        return Task.CompletedTask;
    }

    public async Task<EventView> CreateAsync(string creatorId, EventDraft draft)
    {
        CivicException.ThrowIfInvalid("creator_id", CivicValidation.Id(creatorId, "creator_id"));
        if (S.Event is { } existing)
        {
            // A retry of the same creation finishes its side effects; anything else is a conflict.
            if (existing.CreatorId != creatorId || existing.Title != draft.Title.Trim())
                throw new CivicException(CivicErrors.Conflict, $"event '{EventId}' already exists");
        }
        else
        {
            draft.Validate();
            if (await GrainFactory.GetGrain<IUserGrain>(creatorId).GetAsync() is null)
                throw new CivicException(CivicErrors.NotFound, $"user '{creatorId}' not found", "creator_id");
            var now = clock.GetUtcNow();
            var roomUrl = await videoRooms.CreateRoomAsync(EventId, now + Options.MaxEventLifetime);
            S.Event = new EventView(
                EventId,
                draft.Title.Trim(),
                string.IsNullOrWhiteSpace(draft.Description) ? null : draft.Description.Trim(),
                draft.Category.Trim().ToLowerInvariant(),
                draft.Coordinates,
                string.IsNullOrWhiteSpace(draft.Address) ? null : draft.Address.Trim(),
                creatorId,
                roomUrl,
                EventStatus.Active,
                0,
                now,
                null);
            await state.WriteOrRollbackAsync(() => S.Event = null);
        }
        await ExpireIfDueAsync();
        if (IsActive)
        {
            await IndexAsync(add: true);
            ScheduleLifetimeEnd();
        }
        await GrainFactory.GetGrain<IUserGrain>(creatorId).RecordEventCreatedAsync(EventId);
        await ProjectAsync();
        return View();
    }

    public Task<EventView?> GetAsync() => Task.FromResult(S.Event is null ? null
        : IsActive && clock.GetUtcNow() >= EndsAt ? View() with { Status = EventStatus.Ended, EndedAt = EndsAt }
        : View());

    public async Task<JoinResult> JoinAsync(string userId)
    {
        await ExpireIfDueAsync();
        var ev = EnsureExists();
        CivicException.ThrowIfInvalid("user_id", CivicValidation.Id(userId, "user_id"));
        if (!IsActive) throw new CivicException(CivicErrors.Conflict, "event has ended");
        var user = GrainFactory.GetGrain<IUserGrain>(userId);
        var profile = await user.GetAsync() ?? throw new CivicException(CivicErrors.NotFound, $"user '{userId}' not found", "user_id");

        var added = S.Participants.Add(userId);
        if (added) await state.WriteOrRollbackAsync(() => S.Participants.Remove(userId));
        // Also on a retry: the index cells carry the participant count search results show (idempotent).
        await IndexAsync(add: true);
        // Also on a retry whose first attempt stored the participant but failed to start the drops.
        if (_dropTimer is null) await StartDropsAsync();
        if (added) await PublishAsync(new EventNotification(EventNotification.UserJoined, EventId, clock.GetUtcNow(), UserId: userId));
        if (added) await ProjectAsync();
        // Always (idempotent): a retried join still gets its attendance recorded exactly once.
        await user.RecordAttendanceAsync(EventId);
        var token = await videoRooms.CreateTokenAsync(EventId, userId, profile.Name, isOwner: userId == ev.CreatorId);
        // A room created late (the video service was down at creation) appears with the first join after it exists.
        if (S.Event!.RoomUrl is null && await videoRooms.GetRoomUrlAsync(EventId) is { } roomUrl) await RoomReadyAsync(roomUrl);
        return new JoinResult(View(), S.Event!.RoomUrl, token, AlreadyParticipant: !added);
    }

    public async Task<bool> LeaveAsync(string userId)
    {
        await ExpireIfDueAsync();
        EnsureExists();
        if (!S.Participants.Remove(userId)) return false;
        await state.WriteOrRollbackAsync(() => S.Participants.Add(userId));
        _chatTimes.Remove(userId);
        if (IsActive) await IndexAsync(add: true);
        if (S.Participants.Count == 0) await StopDropsAsync();
        await PublishAsync(new EventNotification(EventNotification.UserLeft, EventId, clock.GetUtcNow(), UserId: userId));
        await ProjectAsync();
        return true;
    }

    public async Task PublishTranscriptAsync(string text, bool isFinal)
    {
        await ExpireIfDueAsync();
        EnsureExists();
        await PublishAsync(new EventNotification(EventNotification.Transcript, EventId, clock.GetUtcNow(), Text: text, IsFinal: isFinal));
    }

    public async Task RoomReadyAsync(string roomUrl)
    {
        if (S.Event is not { Status: EventStatus.Active, RoomUrl: null } ev) return;
        S.Event = ev with { RoomUrl = roomUrl };
        await state.WriteOrRollbackAsync(() => S.Event = ev);
        await ProjectAsync();
    }

    /// <summary>Upserts the event into the read model (best effort; the grain is the truth).</summary>
    private Task ProjectAsync() => readModel.TryProjectAsync(m => m.ProjectEventAsync(View()), logger, $"event {EventId}");

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == RetentionReminder.Name)
        {
            // Retention: an ended event's state (participants, recent drops) goes once its period is over.
            if (S.Event is { Status: EventStatus.Ended, EndedAt: { } ended } && clock.GetUtcNow() < ended + retention.Value.Events) return;
            if (S.Event is { Status: EventStatus.Active }) return;
            await state.ClearStateAsync();
            state.State = new EventState();
            await RetentionReminder.DoneAsync(this);
            DeactivateOnIdle();
            return;
        }
        if (reminderName != DropReminder) return;
        await ExpireIfDueAsync();
        if (IsActive && S.Participants.Count > 0) StartDropTimer(); // activation already did; harmless
        else await StopDropsAsync();
    }

    private async Task IndexAsync(bool add)
    {
        var ev = S.Event!;
        // Removal also clears cells of retired precisions (events listed by earlier versions).
        await Task.WhenAll((add ? GeoIndex.CellsOf(ev.Coordinates) : GeoIndex.AllCellsOf(ev.Coordinates)).Select(cell =>
        {
            var grain = GrainFactory.GetGrain<IGeoCellGrain>(cell);
            return add ? grain.AddAsync(new GeoCellEntry(EventId, ev.Coordinates, View())) : grain.RemoveAsync(EventId);
        }));
    }

    /// <summary>Best effort (memory streams are not durable); the stored state is the truth.</summary>
    private Task PublishAsync(EventNotification notification)
    {
        _stream ??= this.GetStreamProvider(StreamNames.Provider)
            .GetStream<EventNotification>(StreamId.Create(StreamNames.Events, EventId));
        return BestEffort.PublishAsync(_stream, notification, logger, notification.Type, EventId);
    }

    private EventView EnsureExists() => S.Event ?? throw CivicException.NotFound("event", EventId);

    private EventView View() => S.Event! with { ParticipantCount = S.Participants.Count };
}
