namespace CityArray.Bench.Shared;

/// <summary>Counters shared by a fleet of simulated clients (updated with Interlocked).</summary>
public sealed class SignFleetCounters
{
    public long Connects;
    public long Disconnects;
    public long ConnectFailures;
    public long HeartbeatsSent;
    public long MetricsSent;
    public long MessagesReceived;
    public long AcksSent;
    public long Errors;

    /// <summary>Number of clients whose socket is open right now.</summary>
    public long Open;

    public override string ToString() =>
        $"open={Interlocked.Read(ref Open)} connects={Interlocked.Read(ref Connects)} disconnects={Interlocked.Read(ref Disconnects)} " +
        $"heartbeats={Interlocked.Read(ref HeartbeatsSent)} received={Interlocked.Read(ref MessagesReceived)} acks={Interlocked.Read(ref AcksSent)} errors={Interlocked.Read(ref Errors)}";
}
