namespace CityArray.Tests.Storage;

/// <summary>Reminder table cases of the storage contract.</summary>
public abstract partial class StorageContractTests<TFixture>
{
    // Far enough ahead that the silo's own reminder service never fires the test rows.
    private static readonly DateTime Start = DateTime.UtcNow.Date.AddDays(2).AddHours(3).AddMinutes(5);

    private static ReminderEntry Reminder(GrainId grainId, string name, int periodMinutes = 5) => new()
    {
        GrainId = grainId,
        ReminderName = name,
        StartAt = Start,
        Period = TimeSpan.FromMinutes(periodMinutes),
    };

    [SkippableFact]
    public async Task Upserted_reminders_read_back_by_grain_and_by_name()
    {
        var table = await Fixture.GetReminderTableAsync();
        var grainId = NewGrainId("reminder-grain");

        var etagA = await table.UpsertRow(Reminder(grainId, "a", 5));
        var etagB = await table.UpsertRow(Reminder(grainId, "b", 7));

        Assert.False(string.IsNullOrEmpty(etagA));
        var rows = (await table.ReadRows(grainId)).Reminders.OrderBy(r => r.ReminderName).ToList();
        Assert.Equal(["a", "b"], rows.Select(r => r.ReminderName));
        Assert.All(rows, r => Assert.Equal(grainId, r.GrainId));
        Assert.Equal(etagA, rows[0].ETag);
        Assert.Equal(TimeSpan.FromMinutes(7), rows[1].Period);
        Assert.Equal(Start, rows[0].StartAt.ToUniversalTime());

        var one = await table.ReadRow(grainId, "b");
        Assert.NotNull(one);
        Assert.Equal(etagB, one.ETag);
        Assert.Equal(TimeSpan.FromMinutes(7), one.Period);
        Assert.Null(await table.ReadRow(grainId, "missing"));
        Assert.Empty((await table.ReadRows(NewGrainId("reminder-grain"))).Reminders);
    }

    [SkippableFact]
    public async Task Upsert_of_an_existing_reminder_updates_it_with_a_new_etag()
    {
        var table = await Fixture.GetReminderTableAsync();
        var grainId = NewGrainId("reminder-grain");
        var first = await table.UpsertRow(Reminder(grainId, "tick", 5));

        var second = await table.UpsertRow(Reminder(grainId, "tick", 9));

        Assert.NotEqual(first, second);
        var row = Assert.Single((await table.ReadRows(grainId)).Reminders);
        Assert.Equal(second, row.ETag);
        Assert.Equal(TimeSpan.FromMinutes(9), row.Period);
    }

    [SkippableFact]
    public async Task Remove_needs_the_current_etag_and_leaves_other_rows_alone()
    {
        var table = await Fixture.GetReminderTableAsync();
        var grainId = NewGrainId("reminder-grain");
        var otherGrain = NewGrainId("reminder-grain");
        var stale = await table.UpsertRow(Reminder(grainId, "tick"));
        var current = await table.UpsertRow(Reminder(grainId, "tick"));
        await table.UpsertRow(Reminder(grainId, "keep"));
        var otherEtag = await table.UpsertRow(Reminder(otherGrain, "tick"));

        Assert.False(await table.RemoveRow(grainId, "tick", stale!));
        Assert.NotNull(await table.ReadRow(grainId, "tick"));

        Assert.True(await table.RemoveRow(grainId, "tick", current!));
        Assert.Null(await table.ReadRow(grainId, "tick"));
        Assert.False(await table.RemoveRow(grainId, "tick", current!));

        Assert.Equal("keep", Assert.Single((await table.ReadRows(grainId)).Reminders).ReminderName);
        Assert.Equal(otherEtag, (await table.ReadRow(otherGrain, "tick"))?.ETag);
    }

    [SkippableFact]
    public async Task Range_reads_follow_the_ring_including_wrap_around()
    {
        var table = await Fixture.GetReminderTableAsync();
        var grains = Enumerable.Range(0, 24).Select(_ => NewGrainId("ring-grain")).ToList();
        foreach (var grainId in grains) await table.UpsertRow(Reminder(grainId, "ring"));
        var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToArray();

        async Task AssertRange(uint begin, uint end)
        {
            var mine = grains.ToHashSet();
            var actual = (await table.ReadRows(begin, end)).Reminders
                .Where(r => mine.Contains(r.GrainId))
                .Select(r => r.GrainId)
                .ToHashSet();
            var expected = grains
                .Where(g => begin < end
                    ? g.GetUniformHashCode() > begin && g.GetUniformHashCode() <= end
                    : g.GetUniformHashCode() > begin || g.GetUniformHashCode() <= end)
                .ToHashSet();
            Assert.Equal(expected.OrderBy(g => g.ToString()), actual.OrderBy(g => g.ToString()));
        }

        // (begin, end]: the lower bound is excluded, the upper included.
        await AssertRange(hashes[5], hashes[15]);
        Assert.Equal(10, (await table.ReadRows(hashes[5], hashes[15])).Reminders.Count(r => grains.Contains(r.GrainId)));
        // begin > end wraps past zero.
        await AssertRange(hashes[18], hashes[3]);
        Assert.Equal(5 + 4, (await table.ReadRows(hashes[18], hashes[3])).Reminders.Count(r => grains.Contains(r.GrainId)));
        // begin == end is the whole ring; the extremes of uint work.
        await AssertRange(hashes[7], hashes[7]);
        await AssertRange(0, uint.MaxValue);
        await AssertRange(uint.MaxValue, 0);
    }

    [SkippableFact]
    public async Task Reminders_survive_a_host_restart()
    {
        var grainId = NewGrainId("reminder-grain");
        var etag = await (await Fixture.GetReminderTableAsync()).UpsertRow(Reminder(grainId, "durable", 11));

        await Fixture.RestartAsync();

        var row = await (await Fixture.GetReminderTableAsync()).ReadRow(grainId, "durable");
        Assert.NotNull(row);
        Assert.Equal(etag, row.ETag);
        Assert.Equal(TimeSpan.FromMinutes(11), row.Period);
        Assert.Equal(Start, row.StartAt.ToUniversalTime());
    }
}
