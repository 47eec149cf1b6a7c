using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Messages;

/// <summary>Message delivery across a restart of the embedded system on the same data directory.</summary>
public sealed class MessageRestartTests
{
    [Fact]
    public async Task A_restart_between_send_and_ack_loses_nothing_and_all_covers_every_sign()
    {
        var data = TempDirectory.Create("messages");
        string messageId;
        await using (var first = await EmbeddedServer.StartAsync(dataDirectory: data))
        {
            (await first.PutJsonAsync("/api/signs/rs-1", new { name = "One", zone = "r" })).EnsureSuccessStatusCode();
            (await first.PutJsonAsync("/api/signs/rs-2", new { name = "Two" })).EnsureSuccessStatusCode();
            var response = await first.Http.PostAsJsonAsync("/api/messages", new { text = "Gates open at 6pm", all = true });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var report = await response.Content.ReadFromJsonAsync<JsonElement>();
            messageId = report.GetProperty("message_id").GetString()!;
            Assert.Equal(["rs-1", "rs-2"], MessageDeliveryTests.DeliverySigns(report));
        }

        await using var second = await EmbeddedServer.StartAsync(dataDirectory: data);
        await using var sign = await second.ConnectAsync("/ws/sign/rs-1");
        var received = await sign.ReceiveAsync("new_message");
        Assert.Equal(messageId, received.GetProperty("message_id").GetString());
        Assert.Equal("Gates open at 6pm", received.GetProperty("text").GetString());
        await sign.SendJsonAsync(new { type = "ack", message_id = messageId });

        JsonElement[] deliveries = [];
        await Eventually.UntilAsync(async () =>
        {
            deliveries = (await second.Http.GetFromJsonAsync<JsonElement>($"/api/messages/{messageId}")).GetProperty("deliveries").EnumerateArray().ToArray();
            return deliveries[0].GetProperty("state").GetString() == "acked";
        }, () => $"first delivery is {deliveries[0].GetProperty("state")}", TimeSpan.FromSeconds(10));
        Assert.Equal("acked", deliveries[0].GetProperty("state").GetString());
        Assert.Equal("queued", deliveries[1].GetProperty("state").GetString());

        // The zone index survived the restart too.
        var zoned = await second.Http.PostAsJsonAsync("/api/messages", new { text = "zone", zone = "r" });
        Assert.Equal(["rs-1"], MessageDeliveryTests.DeliverySigns(await zoned.Content.ReadFromJsonAsync<JsonElement>()));
    }
}
