using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Grains.Interfaces.Sms;
using CityArray.Silo.Hosting;
using CityArray.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace CityArray.Tests.Integrations;

/// <summary>
/// An override's phone alert is durable: its creation fails (the phone alert grain refuses), the silo restarts, and the
/// alert still goes out, exactly once (the intent is in the override's state, a reminder finishes it).
/// </summary>
public sealed class OverridePhoneRestartTests
{
    /// <summary>Fails every <see cref="IPhoneAlertGrain.CreateAsync"/> while <see cref="Failing"/> is set, counting them.</summary>
    private sealed class FailingPhoneAlerts : IIncomingGrainCallFilter
    {
        public volatile bool Failing = true;
        public int Refused;

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (Failing && context.InterfaceMethod?.DeclaringType == typeof(IPhoneAlertGrain) && context.InterfaceMethod.Name == nameof(IPhoneAlertGrain.CreateAsync))
            {
                Interlocked.Increment(ref Refused);
                throw new InvalidOperationException("phone alert storage unavailable (test)");
            }
            return context.Invoke();
        }
    }

    /// <summary>Counts the phone reminder's ticks on override grains.</summary>
    private sealed class PhoneReminderTicks : IIncomingGrainCallFilter
    {
        public int Ticks;

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod?.Name == nameof(IRemindable.ReceiveReminder) && context.Grain?.GetType().Name == "OverrideGrain"
                && context.Request.GetArgument(0) is "override-phones")
                Interlocked.Increment(ref Ticks);
            return context.Invoke();
        }
    }

    [Fact]
    public async Task A_phone_alert_whose_creation_failed_goes_out_exactly_once_after_a_restart()
    {
        await using var twilio = await FakeTwilio.StartNewAsync();
        var data = TempDirectory.Create("override-phones-restart");
        var port = FreePort.Find();
        var settings = TwilioServerFixture.Settings(twilio, port);
        var filter = new FailingPhoneAlerts();
        // The phone reminder ticks at the reminder service's minimum period (one minute by default).
        void Fast(Microsoft.AspNetCore.Builder.WebApplicationBuilder b) =>
            b.Services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(2));
        var zone = "muelle" + Random.Shared.Next(1_000_000);
        var number = "+57" + Random.Shared.NextInt64(3_000_000_000, 3_999_999_999);
        string id;

        await using (var first = await EmbeddedServer.StartAsync(settings, data, b =>
                     {
                         Fast(b);
                         b.Services.AddSingleton<IIncomingGrainCallFilter>(filter);
                     }))
        {
            var joined = await FakeTwilio.PostSignedAsync($"http://127.0.0.1:{port}/api/sms/inbound", new Dictionary<string, string>
            {
                ["MessageSid"] = ("SM" + Guid.NewGuid().ToString("N"))[..34],
                ["AccountSid"] = FakeTwilio.Sid,
                ["From"] = number,
                ["To"] = FakeTwilio.From,
                ["Body"] = $"JOIN {zone}",
            });
            Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
            Assert.True((await first.Http.PutAsJsonAsync($"/api/signs/sign-{zone}", new { name = "Muelle", zone })).IsSuccessStatusCode);

            var created = await first.Http.PostAsJsonAsync("/api/overrides", new { text = "Cierre del muelle", zone, channels = new[] { "signs", "sms" } });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("override_id").GetString()!;
            // Refused and retried (the timer), and still nothing exists or went out.
            await Eventually.UntilAsync(() => Task.FromResult(Volatile.Read(ref filter.Refused) >= 2), () => $"{filter.Refused} refused");
            Assert.Equal(HttpStatusCode.NotFound, (await first.Http.GetAsync($"/api/alerts/alert-{id}-sms")).StatusCode);
            Assert.Equal(0, twilio.CountTo(number));
        }

        // Restarted on the same database, nothing failing any more and nobody calling the override: the reminder finishes it.
        var ticks = new PhoneReminderTicks();
        await using var second = await EmbeddedServer.StartAsync(settings, data, b =>
        {
            Fast(b);
            b.Services.AddSingleton<IIncomingGrainCallFilter>(ticks);
        });
        // (Twilio's status callbacks may not reach the restarted server: the fake's pooled connection was to the first one.)
        JsonElement alert = default;
        await Eventually.UntilAsync(async () =>
        {
            if (twilio.CountTo(number) < 1) return false;
            var response = await second.Http.GetAsync($"/api/alerts/alert-{id}-sms");
            if (!response.IsSuccessStatusCode) return false;
            alert = await response.Content.ReadFromJsonAsync<JsonElement>();
            return alert.GetProperty("recipients").EnumerateArray().All(r => r.GetProperty("status").GetString() is not ("pending" or "sending"));
        }, () => $"{twilio.CountTo(number)} sent; {alert}", TimeSpan.FromSeconds(60));
        Assert.Equal(id, alert.GetProperty("override_id").GetString());
        Assert.Equal([number], alert.GetProperty("recipients").EnumerateArray().Select(r => r.GetProperty("to").GetString()));
        var report = await second.Http.GetFromJsonAsync<JsonElement>($"/api/overrides/{id}");
        Assert.Equal($"alert-{id}-sms", report.GetProperty("phones")[0].GetProperty("alert_id").GetString());
        Assert.Equal(1, report.GetProperty("phones")[0].GetProperty("recipients").GetInt32());
        Assert.True(Volatile.Read(ref ticks.Ticks) >= 1, "the reminder did not finish it");

        // Another request through the grain (a retry path) sends nothing more.
        await second.Http.GetFromJsonAsync<JsonElement>($"/api/overrides/{id}");
        Assert.Equal(1, twilio.CountTo(number));
    }
}
