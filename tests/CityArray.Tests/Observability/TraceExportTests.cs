using System.Collections.Concurrent;
using CityArray.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace CityArray.Tests.Observability;

/// <summary>Traces leave the process over OTLP when (and only when) <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set: a fake OTLP/HTTP receiver on loopback gets them.</summary>
public sealed class TraceExportTests
{
    [Fact]
    public async Task Traces_are_exported_over_otlp_http_to_the_configured_endpoint()
    {
        var received = new ConcurrentQueue<(string Path, string? ContentType, long Length)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var receiver = builder.Build();
        receiver.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((context.Request.Path, context.Request.ContentType, body.Length));
            return Results.Ok();
        });
        await receiver.StartAsync();
        await using var _ = receiver;
        var endpoint = receiver.Urls.Single();

        await using var server = await EmbeddedServer.StartAsync(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        });
        await Eventually.UntilAsync(async () =>
        {
            (await server.Http.GetAsync("/api/signs")).EnsureSuccessStatusCode(); // an HTTP span, with grain-call spans under it
            return received.Any(r => r.Path == "/v1/traces" && r.ContentType == "application/x-protobuf" && r.Length > 0);
        }, () => $"received: {string.Join(", ", received.Select(r => $"{r.Path} {r.ContentType} {r.Length}"))}", TimeSpan.FromSeconds(20));
    }
}
