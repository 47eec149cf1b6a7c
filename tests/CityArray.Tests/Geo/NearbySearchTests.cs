using System.Diagnostics;
using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;
using Xunit.Abstractions;
using CityArray.Grains;
using CityArray.Grains.Geo;
using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Validation;
using CityArray.Tests.Civic;

namespace CityArray.Tests.Geo;

[Collection(CivicCollection.Name)]
public sealed class NearbySearchTests(CivicClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_search_that_would_fan_out_to_too_many_cells_near_a_pole_is_refused_quickly()
    {
        var search = fixture.Grains.GetGrain<IEventSearchGrain>(0);
        var clock = Stopwatch.StartNew();
        var refused = await Assert.ThrowsAsync<CivicException>(() => search.NearbyAsync(new(10, 89.9), 50_000));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.ElapsedMilliseconds} ms");
        Assert.Equal(CivicErrors.Invalid, refused.Code);
        Assert.Equal("max_distance", refused.Field);
        Assert.Contains("lat 89.9", refused.Message);

        // Accepted queries stay within the fan-out cap, from the equator to 85 degrees, at the largest radius.
        foreach (var lat in new[] { 0.0, 45, 70, 85, -85 })
        {
            var center = new GeoPoint(10, lat);
            var precision = GeoIndex.SearchPrecision(center, IEventSearchGrain.MaxDistanceLimitM, new CivicOptions().MaxSearchCells);
            Assert.InRange(Geohash.CoverCount(lat, 10, IEventSearchGrain.MaxDistanceLimitM, precision), 1, new CivicOptions().MaxSearchFanout);
            await search.NearbyAsync(center, IEventSearchGrain.MaxDistanceLimitM);
        }
        Assert.NotNull(await search.NearbyAsync(new(10, 89.9), 1_000)); // small circles near a pole are fine
    }

    [Fact]
    public async Task Nearby_equals_a_brute_force_scan_of_10000_events_around_Bogota()
    {
        var random = new Random(2024);
        var creators = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => fixture.NewUserAsync("Creator")));
        var points = Enumerable.Range(0, 10_000)
            .Select(i => (Id: CivicIds.New(), Point: GeoTestMath.InBox(random, Places.Bogota, 0.5)))
            .ToList();

        var clock = Stopwatch.StartNew();
        foreach (var chunk in points.Chunk(500))
        {
            await Task.WhenAll(chunk.Select((e, i) => fixture.Grains.GetGrain<IEventGrain>(e.Id)
                .CreateAsync(creators[i % creators.Length].Id, new EventDraft($"Event {e.Id}", null, "music", e.Point, null))));
        }
        output.WriteLine($"indexed 10000 events in {clock.ElapsedMilliseconds} ms");

        // End a few: they must vanish from every result.
        var ended = points.Take(25).ToList();
        foreach (var (id, _) in ended)
            await fixture.Grains.GetGrain<IEventGrain>(id).EndAsync(creators[points.FindIndex(p => p.Id == id) % creators.Length].Id);
        var active = points.Skip(25).ToList();

        var search = fixture.Grains.GetGrain<IEventSearchGrain>(0);
        var radii = new[] { 50_000.0, 5_000, 1_000, 250, 12_345, 50_000, 30_000, 5_000 };
        var queries = 0;
        foreach (var radius in radii)
        {
            var center = queries == 0 ? Places.Bogota : GeoTestMath.InBox(random, Places.Bogota, 0.6);
            queries++;
            clock.Restart();
            var found = await search.NearbyAsync(center, radius, IEventSearchGrain.MaxLimit);
            var elapsed = clock.ElapsedMilliseconds;

            var expected = active
                .Select(e => (e.Id, Distance: GeoMath.DistanceM(center, e.Point)))
                .Where(e => e.Distance <= radius)
                .OrderBy(e => e.Distance).ThenBy(e => e.Id, StringComparer.Ordinal)
                .Take(IEventSearchGrain.MaxLimit)
                .ToList();
            output.WriteLine($"radius {radius} m at ({center.Longitude:F3}, {center.Latitude:F3}): {found.Count} events in {elapsed} ms");

            Assert.Equal(expected.Select(e => e.Id), found.Select(f => f.Event.Id));
            Assert.Equal(expected.Select(e => e.Distance), found.Select(f => f.DistanceM));
            Assert.All(found, f => Assert.Equal(EventStatus.Active, f.Event.Status));
            Assert.All(found, f => Assert.Equal(f.Event.Id, f.Event.Title["Event ".Length..]));

            var byDefault = await search.NearbyAsync(center, radius);
            Assert.Equal(expected.Take(IEventSearchGrain.DefaultLimit).Select(e => e.Id), byDefault.Select(f => f.Event.Id));
        }
        // Just inside an edge or a corner of the centre's cell: the nearest events may lie in the neighbouring cells,
        // which the search asks only when they can beat the farthest hit of the centre's own cell.
        for (var i = 0; i < 48; i++)
        {
            var (radius, limit) = (i % 3 == 0 ? 1_000.0 : 5_000, new[] { 1, 5, 20, 100 }[i % 4]);
            var near = GeoTestMath.InBox(random, Places.Bogota, 0.45);
            var precision = GeoIndex.SearchPrecision(near, radius, new CivicOptions().MaxSearchCells);
            var (minLat, minLng, maxLat, maxLng) = Geohash.Bounds(Geohash.Encode(near.Latitude, near.Longitude, precision));
            const double inside = 1e-5;
            var center = (i % 4) switch
            {
                0 => near with { Longitude = minLng + inside },
                1 => near with { Longitude = maxLng - inside },
                2 => near with { Latitude = maxLat - inside },
                _ => new GeoPoint(minLng + inside, minLat + inside),
            };
            AssertEqualsBruteForce(active, center, radius, limit, await search.NearbyAsync(center, radius, limit));
        }

        Assert.NotEmpty(await search.NearbyAsync(Places.Bogota, 50_000, limit: 10));
        Assert.Equal(10, (await search.NearbyAsync(Places.Bogota, 50_000, limit: 10)).Count);
    }

    [Fact]
    public async Task An_event_listed_in_two_cells_while_it_moves_is_answered_once_at_the_first_cells_distance()
    {
        // Lisbon: no other test puts events there. The centre sits just inside the east edge of its cell.
        var near = new GeoPoint(-9.1393, 38.7223);
        var precision = GeoIndex.SearchPrecision(near, 1_000, new CivicOptions().MaxSearchCells);
        var home = Geohash.Encode(near.Latitude, near.Longitude, precision);
        var (minLat, _, maxLat, maxLng) = Geohash.Bounds(home);
        var center = new GeoPoint(maxLng - 0.001, (minLat + maxLat) / 2);
        var creator = await fixture.NewUserAsync("Mover");
        var ev = await fixture.Grains.GetGrain<IEventGrain>(CivicIds.New())
            .CreateAsync(creator.Id, new EventDraft("Moving stage", null, "music", center, null));
        // A stale listing of the same event in the east neighbour (as while a move is half done).
        var stale = center with { Longitude = maxLng + 0.001 };
        var east = fixture.Grains.GetGrain<IGeoCellGrain>(Geohash.Encode(stale.Latitude, stale.Longitude, precision));
        Assert.NotEqual(home, east.GetPrimaryKeyString());
        await east.AddAsync(new GeoCellEntry(ev.Id, stale, ev));
        try
        {
            var found = await fixture.Grains.GetGrain<IEventSearchGrain>(0).NearbyAsync(center, 1_000);

            var hit = Assert.Single(found, f => f.Event.Id == ev.Id);
            Assert.Equal(0, hit.DistanceM, 3); // the home cell's listing, asked first
        }
        finally
        {
            await east.RemoveAsync(ev.Id);
        }
    }

    [Fact]
    public async Task Nearby_equals_a_brute_force_scan_where_one_cell_holds_5000_events_some_at_the_same_spot()
    {
        // Nairobi: no other test puts events there. Every event in one search cell, so the cell's index cuts them into
        // dozens of longitude strips; every tenth event shares another's coordinates (ties broken by id).
        var random = new Random(77);
        var nairobi = new GeoPoint(36.8219, -1.2921);
        var (minLat, minLng, maxLat, maxLng) = Geohash.Bounds(Geohash.Encode(nairobi.Latitude, nairobi.Longitude, GeoIndex.Precisions[0]));
        GeoPoint Inside() => new(minLng + (0.02 + 0.96 * random.NextDouble()) * (maxLng - minLng), minLat + (0.02 + 0.96 * random.NextDouble()) * (maxLat - minLat));
        var creators = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => fixture.NewUserAsync("Dense")));
        var points = new List<(string Id, GeoPoint Point)>();
        for (var i = 0; i < 5_000; i++) points.Add((CivicIds.New(), i % 10 == 9 ? points[random.Next(points.Count)].Point : Inside()));
        foreach (var chunk in points.Chunk(500))
        {
            await Task.WhenAll(chunk.Select((e, i) => fixture.Grains.GetGrain<IEventGrain>(e.Id)
                .CreateAsync(creators[i % creators.Length].Id, new EventDraft($"Dense {e.Id}", null, "music", e.Point, null))));
        }

        var search = fixture.Grains.GetGrain<IEventSearchGrain>(0);
        for (var q = 0; q < 60; q++)
        {
            // Centres inside the cell, on a shared spot, or just outside the cell's edges.
            var center = (q % 3) switch
            {
                0 => Inside(),
                1 => points[random.Next(points.Count)].Point,
                _ => new GeoPoint(minLng - 0.01 + random.NextDouble() * (maxLng - minLng + 0.02), q % 2 == 0 ? minLat - 0.005 : maxLat + 0.005),
            };
            var (radius, limit) = (new[] { 300.0, 1_000, 5_000, 20_000 }[q % 4], new[] { 1, 7, 20, 100 }[q / 4 % 4]);
            AssertEqualsBruteForce(points, center, radius, limit, await search.NearbyAsync(center, radius, limit));
        }
    }

    /// <summary>The answer equals a brute-force scan of the events: the same ids in the same order (distance, then id), the same distances.</summary>
    private static void AssertEqualsBruteForce(IEnumerable<(string Id, GeoPoint Point)> events, GeoPoint center, double radius, int limit, IReadOnlyList<NearbyEvent> found)
    {
        var expected = events
            .Select(e => (e.Id, Distance: GeoMath.DistanceM(center, e.Point)))
            .Where(e => e.Distance <= radius)
            .OrderBy(e => e.Distance).ThenBy(e => e.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
        Assert.Equal(expected.Select(e => e.Id), found.Select(f => f.Event.Id));
        Assert.Equal(expected.Select(e => e.Distance), found.Select(f => f.DistanceM));
    }
}
