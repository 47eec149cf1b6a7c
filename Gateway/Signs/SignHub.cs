using CityArray.Gateway.Infrastructure;
using CityArray.Gateway.Infrastructure.WebSockets;
using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Overrides;

namespace CityArray.Gateway.Signs;

/// <summary>
/// This gateway's end of the cluster channel (<see cref="IGatewayObserver"/>) and the sign sockets it holds. It keeps its
/// own copy of the fleet registry (active overrides and those ended lately) and, per sign, its zone and coordinates and
/// the override it shows. Everything that decides what a sign is sent about overrides (a broadcast, a connect, a move,
/// an end) happens under one lock on that copy, so a sign never gets an override's cancel before the override, and a
/// sign covered late gets it at once. Broadcast messages (to <c>all</c> or a zone) are held the same way: pushed to the
/// covered signs here when sent, and replayed to a covered sign on connect (or when it moves into the zone) unless it acked
/// them. Deliveries and acks are reported to the override and message tallies through <see cref="TallyReports"/>.
/// </summary>
public sealed class SignHub(Grains.CityArrayClock clock, Dashboards.DashboardHub dashboards, TallyReports tallies)
    : IGatewayObserver
{
    /// <summary>How many ended overrides this gateway remembers (to tell signs that were away).</summary>
    private const int EndedKept = 200;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, SignEntry> _signs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Mirror> _active = new(StringComparer.Ordinal);
    private readonly List<ActiveOverride> _ended = [];
    private readonly Dictionary<string, ActiveBroadcast> _broadcasts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _endedBroadcasts = new(StringComparer.Ordinal);
    private readonly Queue<string> _endedBroadcastOrder = new();

    /// <summary>A broadcast missing from a registry read is dropped only if it is older than this (the read may predate it).</summary>
    private static readonly TimeSpan SyncGrace = TimeSpan.FromSeconds(30);

    /// <summary>How many signs have a socket here.</summary>
    public int Count
    {
        get { lock (_gate) return _signs.Count; }
    }

    /// <summary>The overrides this gateway knows as active (for diagnostics and tests).</summary>
    public IReadOnlyList<string> ActiveOverrideIds
    {
        get { lock (_gate) return _active.Keys.ToArray(); }
    }

    /// <summary>A socket opened: it is held (and receives per-sign commands) before the grain counts it as connected.</summary>
    public void Attach(string signId, SocketConnection connection)
    {
        lock (_gate)
        {
            if (!_signs.TryGetValue(signId, out var entry))
                _signs[signId] = entry = new SignEntry { NextPing = Environment.TickCount64 + _pingIntervalMs };
            entry.Connections = [.. entry.Connections, connection];
        }
    }

    private Timer? _pings;
    private long _pingIntervalMs;

    /// <summary>
    /// Starts (once) the single timer of this gateway's sign pings: each sign held here gets a <c>ping</c> every
    /// <paramref name="interval"/> from when its socket was attached (so pings stay spread like the connects were), checked
    /// once a second and serialized once per tick: one timer per gateway instead of one per socket.
    /// </summary>
    public void EnsurePings(TimeSpan interval)
    {
        if (Volatile.Read(ref _pings) is not null) return;
        lock (_gate)
        {
            if (_pings is not null) return;
            _pingIntervalMs = Math.Max(1, (long)interval.TotalMilliseconds);
            var tick = TimeSpan.FromMilliseconds(Math.Min(1000, _pingIntervalMs));
            _pings = new Timer(_ => PingDue(), null, tick, tick);
        }
    }

    private void PingDue()
    {
        List<SocketConnection>? due = null;
        var now = Environment.TickCount64;
        lock (_gate)
        {
            foreach (var entry in _signs.Values)
            {
                if (entry.NextPing > now) continue;
                entry.NextPing = now + _pingIntervalMs;
                (due ??= []).AddRange(entry.Connections);
            }
        }
        if (due is null) return;
        var bytes = JsonWire.ToUtf8(new { type = "ping", timestamp = clock.GetUtcNow() });
        foreach (var connection in due) connection.Send(bytes);
    }

    /// <summary>A socket closed.</summary>
    public void Detach(string signId, SocketConnection connection)
    {
        lock (_gate)
        {
            if (!_signs.TryGetValue(signId, out var entry)) return;
            entry.Connections = Without(entry.Connections, connection);
            entry.Adopted = Without(entry.Adopted, connection);
            if (entry.Connections.Length == 0) _signs.Remove(signId);
        }
    }

    /// <summary>Closes every socket of the sign held here (its credential changed); they must reconnect with the new one.</summary>
    public void CloseAll(string signId, string reason)
    {
        SocketConnection[] targets;
        lock (_gate)
        {
            if (!_signs.TryGetValue(signId, out var entry)) return;
            targets = [.. entry.Connections];
        }
        foreach (var connection in targets) connection.Close(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, reason);
    }

    /// <summary>
    /// The sign's grain took the connection: tells it about overrides that ended while it was away, sends the override
    /// that covers it now (unless it already shows it), then its unacked messages, in that order.
    /// </summary>
    public void Connected(string signId, SocketConnection connection, SignConnectResult result)
    {
        var view = result.View;
        var profile = new SignProfile(signId, view.Zone, view.Coordinates);
        // Its own queue (messages to listed ids), worked out before taking the lock every connect of a storm waits on.
        var own = result.Replay.Count == 0 ? null : result.Replay.Select(m => m.MessageId).ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            if (!_signs.TryGetValue(signId, out var entry) || !entry.Connections.Contains(connection)) return;
            var fresh = entry.Profile is null;
            entry.Profile = profile;
            if (fresh && result.PreviouslySeen is { } seen)
            {
                foreach (var ended in _ended)
                    if (ended.Override.CreatedAt <= seen && ended.EndedAt > seen && OverrideCoverage.Covers(ended.Target, profile))
                        connection.Send(JsonWire.ToUtf8(SignWire.Cancelled(ended.Override)));
            }
            ShowLocked(signId, entry, announceEnd: false);
            if (result.AckedBroadcasts is { Count: > 0 } acked) (entry.Acked ??= new HashSet<string>(StringComparer.Ordinal)).UnionWith(acked);
            // A socket adopted again (its grain was reactivated) is not sent twice what it already got; a new socket is sent everything.
            var adoptedAgain = entry.Adopted.Contains(connection);
            if (!adoptedAgain) entry.Adopted = [.. entry.Adopted, connection];
            if (own is null && _broadcasts.Count == 0) return; // nothing to replay
            // Its own queue and the broadcasts covering it that it has not acked, oldest first.
            var broadcasts = CoveringLocked(entry, skipReceived: adoptedAgain).Where(b => own?.Contains(b.MessageId) != true).ToArray();
            foreach (var message in result.Replay.Concat(broadcasts).OrderBy(m => m.CreatedAt))
            {
                connection.Send(JsonWire.ToUtf8(SignWire.ToMessage(new SignCommand(SignCommand.NewMessage, Message: message))));
                entry.MessageSent(message, clock.GetUtcNow());
                if (_broadcasts.ContainsKey(message.MessageId) && own?.Contains(message.MessageId) != true) DeliveredLocked(signId, entry, message.MessageId);
            }
        }
    }

    /// <summary>The active, unexpired broadcasts covering the sign that it has not acked (nor, with <paramref name="skipReceived"/>, been sent here).</summary>
    private IEnumerable<SignMessage> CoveringLocked(SignEntry entry, bool skipReceived)
    {
        if (entry.Profile is not { } profile || _broadcasts.Count == 0) return [];
        var now = clock.GetUtcNow();
        return _broadcasts.Values
            .Where(b => !b.Message.IsExpired(now) && b.Covers(profile) && entry.Acked?.Contains(b.Message.MessageId) != true &&
                        !(skipReceived && entry.Received?.Contains(b.Message.MessageId) == true))
            .Select(b => b.Message).ToArray();
    }

    private void DeliveredLocked(string signId, SignEntry entry, string messageId)
    {
        (entry.Received ??= new HashSet<string>(StringComparer.Ordinal)).Add(messageId);
        tallies.MessageDelivered(messageId, signId);
    }

    /// <summary>
    /// The broadcast message <paramref name="messageId"/> if this gateway knows it as active (the caller records the ack on
    /// the sign's grain, then counts it with <see cref="MessageAcked"/>). True with a null message for one that ended lately
    /// (the ack is still counted). False when it is no broadcast this gateway knows.
    /// </summary>
    public bool TryAckBroadcast(string signId, string messageId, out SignMessage? message)
    {
        lock (_gate)
        {
            message = _broadcasts.GetValueOrDefault(messageId)?.Message;
            if (message is null && !_endedBroadcasts.Contains(messageId)) return false;
            if (_signs.TryGetValue(signId, out var entry)) (entry.Acked ??= new HashSet<string>(StringComparer.Ordinal)).Add(messageId);
            return true;
        }
    }

    public Task MessageStartedAsync(ActiveBroadcast value)
    {
        StartBroadcast(value);
        return Task.CompletedTask;
    }

    public Task MessageEndedAsync(string messageId)
    {
        lock (_gate) EndBroadcastLocked(messageId);
        return Task.CompletedTask;
    }

    private void StartBroadcast(ActiveBroadcast value)
    {
        var m = value.Message;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (_broadcasts.ContainsKey(m.MessageId) || _endedBroadcasts.Contains(m.MessageId) || m.IsExpired(now)) return;
            foreach (var expired in _broadcasts.Values.Where(b => b.Message.IsExpired(now)).Select(b => b.Message.MessageId).ToArray())
                EndBroadcastLocked(expired);
            _broadcasts[m.MessageId] = value;
            var bytes = JsonWire.ToUtf8(SignWire.ToMessage(new SignCommand(SignCommand.NewMessage, Message: m)));
            foreach (var (signId, entry) in _signs)
            {
                if (entry.Profile is not { } profile || !value.Covers(profile) || entry.Acked?.Contains(m.MessageId) == true) continue;
                foreach (var connection in entry.Connections) connection.Send(bytes);
                entry.MessageSent(m, now);
                DeliveredLocked(signId, entry, m.MessageId);
            }
        }
    }

    private void EndBroadcastLocked(string messageId)
    {
        _broadcasts.Remove(messageId);
        if (!_endedBroadcasts.Add(messageId)) return;
        _endedBroadcastOrder.Enqueue(messageId);
        if (_endedBroadcastOrder.Count > EndedKept) _endedBroadcasts.Remove(_endedBroadcastOrder.Dequeue());
        foreach (var entry in _signs.Values)
        {
            entry.Received?.Remove(messageId);
            entry.Acked?.Remove(messageId);
        }
    }

    /// <summary>True (and the ack is batched for the override grain) when <paramref name="messageId"/> is an override this gateway knows.</summary>
    public bool TryAckOverride(string signId, string messageId)
    {
        lock (_gate)
        {
            var acked = _active.TryGetValue(messageId, out var mirror) ? mirror.Value.Override
                : _ended.FirstOrDefault(e => e.Override.OverrideId == messageId)?.Override;
            if (acked is null) return false;
            tallies.OverrideAcked(messageId, signId);
            CityArrayMetrics.RecordDelivery("override", "acked", acked.CreatedAt, clock.GetUtcNow());
            return true;
        }
    }

    /// <summary>The sign's grain found override <paramref name="overrideId"/> in the registry (this gateway had not caught up yet): it is counted.</summary>
    public void OverrideAcked(string signId, string overrideId) => tallies.OverrideAcked(overrideId, signId);

    /// <summary>
    /// The sign acked message <paramref name="messageId"/> (its grain recorded it): it is counted in the message's tally, and
    /// its delivery latency is recorded if this gateway sent it.
    /// </summary>
    public void MessageAcked(string signId, string messageId)
    {
        tallies.MessageAcked(messageId, signId);
        lock (_gate)
        {
            if (_signs.TryGetValue(signId, out var entry) && entry.SentMessages?.Remove(messageId, out var acceptedAt) == true)
                CityArrayMetrics.RecordDelivery("message", "acked", acceptedAt, clock.GetUtcNow());
        }
    }

    /// <summary>The signs held here and one socket of each (to connect them to their grains again after the cluster came back).</summary>
    public IReadOnlyList<(string SignId, SocketConnection Connection)> Held()
    {
        lock (_gate) return _signs.Where(s => s.Value.Connections.Length > 0).Select(s => (s.Key, s.Value.Connections[^1])).ToArray();
    }

    /// <summary>Catches up with the registry: starts what this gateway missed and ends what ended meanwhile.</summary>
    public void Sync(FleetRegistryView registry)
    {
        foreach (var active in registry.Active) Start(active);
        foreach (var ended in registry.RecentlyEnded) End(ended);
        foreach (var broadcast in registry.ActiveBroadcasts) StartBroadcast(broadcast);
        // Broadcasts that left the registry while this gateway was away (acked by every sign, expired, given way).
        var listed = registry.ActiveBroadcasts.Select(b => b.Message.MessageId).ToHashSet(StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            foreach (var gone in _broadcasts.Values.Where(b => !listed.Contains(b.Message.MessageId) &&
                                                              (b.Message.IsExpired(now) || b.Message.CreatedAt < now - SyncGrace)).ToArray())
                EndBroadcastLocked(gone.Message.MessageId);
        }
    }

    public Task OverrideStartedAsync(ActiveOverride value)
    {
        Start(value);
        return Task.CompletedTask;
    }

    public Task OverrideEndedAsync(ActiveOverride value)
    {
        End(value);
        return Task.CompletedTask;
    }

    /// <summary>Raised with a sign id when the grain holding one of its connections here went away (see <see cref="GatewayLink"/>).</summary>
    public event Action<string>? Unbound;

    public Task SignUnboundAsync(string signId, string connectionId)
    {
        lock (_gate)
            if (!_signs.TryGetValue(signId, out var entry) || !entry.Connections.Any(c => c.Id == connectionId)) return Task.CompletedTask;
        Unbound?.Invoke(signId);
        return Task.CompletedTask;
    }

    public Task<bool> SignCommandAsync(string signId, SignCommand command)
    {
        SocketConnection[] targets;
        lock (_gate)
        {
            if (!_signs.TryGetValue(signId, out var entry)) return Task.FromResult(false);
            targets = [.. entry.Connections];
        }
        if (command.Type == SignCommand.ConnectionReplaced)
        {
            foreach (var connection in targets.Where(c => c.Id == command.ConnectionId))
                connection.Close(SocketConnection.Replaced, "replaced by a newer connection of this sign");
            return Task.FromResult(true);
        }
        var bytes = JsonWire.ToUtf8(SignWire.ToMessage(command));
        foreach (var connection in targets) connection.Send(bytes);
        if (command.Message is { } message && targets.Length > 0)
            lock (_gate)
                if (_signs.TryGetValue(signId, out var entry)) entry.MessageSent(message, clock.GetUtcNow());
        return Task.FromResult(targets.Length > 0);
    }

    /// <summary>Sign events for the dashboards held here (batched by a silo's push grain): serialized once each, queued per socket.</summary>
    public Task DashboardEventsAsync(DashboardEvent[] events)
    {
        dashboards.Deliver(events);
        return Task.CompletedTask;
    }

    public Task SignProfileChangedAsync(SignProfile profile)
    {
        lock (_gate)
        {
            if (!_signs.TryGetValue(profile.SignId, out var entry) || entry.Profile is null) return Task.CompletedTask;
            entry.Profile = profile;
            ShowLocked(profile.SignId, entry, announceEnd: true);
            // Moved into a zone with broadcasts it has not had yet: it gets them now.
            foreach (var message in CoveringLocked(entry, skipReceived: true).OrderBy(m => m.CreatedAt))
            {
                var bytes = JsonWire.ToUtf8(SignWire.ToMessage(new SignCommand(SignCommand.NewMessage, Message: message)));
                foreach (var connection in entry.Connections) connection.Send(bytes);
                DeliveredLocked(profile.SignId, entry, message.MessageId);
            }
        }
        return Task.CompletedTask;
    }

    private void Start(ActiveOverride value)
    {
        var o = value.Override;
        lock (_gate)
        {
            if (_active.ContainsKey(o.OverrideId) || _ended.Any(e => e.Override.OverrideId == o.OverrideId)) return;
            var mirror = new Mirror(value, value.Target.SignIds is { } ids ? new HashSet<string>(ids, StringComparer.Ordinal) : null);
            _active[o.OverrideId] = mirror;
            if (o.IsExpired(clock.GetUtcNow())) return;
            var bytes = JsonWire.ToUtf8(SignWire.Override(o));
            foreach (var (signId, entry) in _signs)
            {
                if (entry.Profile is not { } profile || !OverrideCoverage.Covers(value.Target, profile, mirror.Listed)) continue;
                if (entry.Shown is { } shown && shown.CreatedAt > o.CreatedAt) continue;
                entry.Shown = o;
                foreach (var connection in entry.Connections) connection.Send(bytes);
                tallies.OverrideDelivered(o.OverrideId, signId);
                CityArrayMetrics.RecordDelivery("override", "sent", o.CreatedAt, clock.GetUtcNow());
            }
        }
    }

    private void End(ActiveOverride value)
    {
        var id = value.Override.OverrideId;
        lock (_gate)
        {
            if (_ended.Any(e => e.Override.OverrideId == id)) return;
            _active.Remove(id);
            _ended.Add(value);
            if (_ended.Count > EndedKept) _ended.RemoveAt(0);
            var cancel = JsonWire.ToUtf8(SignWire.Cancelled(value.Override));
            foreach (var (signId, entry) in _signs)
            {
                if (entry.Shown?.OverrideId != id) continue;
                foreach (var connection in entry.Connections) connection.Send(cancel);
                entry.Shown = null;
                ShowLocked(signId, entry, announceEnd: false);
            }
        }
    }

    /// <summary>Sends the sign the override that covers it now if it differs from what it shows; with <paramref name="announceEnd"/>, a sign no longer covered gets <c>override_cancelled</c>.</summary>
    private void ShowLocked(string signId, SignEntry entry, bool announceEnd)
    {
        if (_active.Count == 0 && entry.Shown is null) return; // no override anywhere, none shown: the common case
        var now = clock.GetUtcNow();
        var next = entry.Profile is { } profile
            ? _active.Values.Where(m => !m.Value.Override.IsExpired(now) && OverrideCoverage.Covers(m.Value.Target, profile, m.Listed))
                .Select(m => m.Value.Override).MaxBy(o => o.CreatedAt)
            : null;
        if (next?.OverrideId == entry.Shown?.OverrideId) return;
        if (next is null)
        {
            if (announceEnd && entry.Shown is { } old)
                foreach (var connection in entry.Connections) connection.Send(JsonWire.ToUtf8(SignWire.Cancelled(old)));
            entry.Shown = null;
            return;
        }
        entry.Shown = next;
        var bytes = JsonWire.ToUtf8(SignWire.Override(next));
        foreach (var connection in entry.Connections) connection.Send(bytes);
        tallies.OverrideDelivered(next.OverrideId, signId);
        CityArrayMetrics.RecordDelivery("override", "sent", next.CreatedAt, now);
    }

    private static SocketConnection[] Without(SocketConnection[] connections, SocketConnection connection) =>
        connections.Contains(connection) ? [.. connections.Where(c => c != connection)] : connections;

    private sealed class SignEntry
    {
        /// <summary>This sign's sockets here (almost always one: arrays, replaced on change, hold the least).</summary>
        public SocketConnection[] Connections { get; set; } = [];
        public SignProfile? Profile { get; set; }
        public SignOverride? Shown { get; set; }

        /// <summary>When (<see cref="Environment.TickCount64"/>) this sign's sockets get their next <c>ping</c>.</summary>
        public long NextPing { get; set; }

        /// <summary>The sockets of this sign whose connect its grain took (a socket can be adopted again after a reactivation).</summary>
        /// <remarks>The per-sign sets below are created on first use: an idle sign holds as little as possible.</remarks>
        public SocketConnection[] Adopted { get; set; } = [];

        /// <summary>Broadcast messages sent to this sign here (null until one is).</summary>
        public HashSet<string>? Received { get; set; }

        /// <summary>Broadcast messages this sign acked (from its grain on connect, and since).</summary>
        public HashSet<string>? Acked { get; set; }

        /// <summary>When each message sent here and not acked yet was accepted (for the delivery latency; bounded; null until one is).</summary>
        public Dictionary<string, DateTimeOffset>? SentMessages { get; private set; }

        public void MessageSent(Grains.Interfaces.Messages.SignMessage message, DateTimeOffset now)
        {
            CityArrayMetrics.RecordDelivery("message", "sent", message.CreatedAt, now);
            var sent = SentMessages ??= new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            if (sent.Count >= 500) sent.Remove(sent.Keys.First());
            sent[message.MessageId] = message.CreatedAt;
        }
    }

    private sealed record Mirror(ActiveOverride Value, HashSet<string>? Listed);
}
