namespace CityArray.Bench.Shared;

/// <summary>One frame a sign received: its <c>type</c>, its id (<c>message_id</c>/<c>override_id</c>/<c>id</c>) and when
/// (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> ticks and wall clock).</summary>
public readonly record struct ReceivedMessage(string SignId, string Type, string? Id, long Timestamp, DateTimeOffset At, ReadOnlyMemory<byte> Frame);
