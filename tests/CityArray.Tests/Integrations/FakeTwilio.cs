using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CityArray.Tests.Integrations;

/// <summary>
/// Fake Twilio REST API (<c>/2010-04-01/Accounts/{sid}/Messages.json</c> and <c>Calls.json</c>): checks HTTP Basic
/// <c>sid:token</c>, the account in the path, the form fields (To in E.164, From = our number, Body or Twiml) and answers
/// Twilio's JSON; then posts signed status callbacks (HMAC-SHA1 of URL + sorted fields, as Twilio signs) to the
/// <c>StatusCallback</c> it was given. Numbers in <see cref="Undeliverable"/> get <c>failed</c> with error 30003.
/// </summary>
public sealed class FakeTwilio : FakeServer
{
    public const string Sid = "ACtest0123456789abcdef0123456789ab";
    public const string Token = "twilio-test-auth-token";
    public const string From = "+15005550006";

    private static readonly HttpClient Callbacks = new();

    /// <summary>Accepted requests: (kind sms|call, To, Body or Twiml, time).</summary>
    public ConcurrentQueue<(string Kind, string To, string Content, DateTime At)> Accepted { get; } = new();

    public HashSet<string> Undeliverable { get; } = [];

    public static async Task<FakeTwilio> StartNewAsync()
    {
        var fake = new FakeTwilio();
        await fake.StartAsync();
        return fake;
    }

    public int CountTo(string to) => Accepted.Count(a => a.To == to);

    /// <summary>Twilio's signature of a request to <paramref name="url"/> with these form fields.</summary>
    public static string Sign(string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal)) data.Append(name).Append(value);
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Token), Encoding.UTF8.GetBytes(data.ToString())));
    }

    /// <summary>Posts a form to our service as Twilio does, signed (or not).</summary>
    public static async Task<HttpResponseMessage> PostSignedAsync(string url, Dictionary<string, string> fields, string? signature = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Twilio-Signature", signature ?? Sign(url, fields));
        return await Callbacks.SendAsync(request);
    }

    protected override void Map(WebApplication app)
    {
        app.MapPost("/2010-04-01/Accounts/{account}/Messages.json", (HttpContext c, string account) => CreateAsync(c, account, "sms"));
        app.MapPost("/2010-04-01/Accounts/{account}/Calls.json", (HttpContext c, string account) => CreateAsync(c, account, "call"));
    }

    private async Task<IResult> CreateAsync(HttpContext context, string account, string kind)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Sid}:{Token}"));
        if (context.Request.Headers.Authorization != expected || account != Sid)
            return Results.Json(new { code = 20003, message = "Authenticate", status = 401 }, statusCode: 401);
        var form = await context.Request.ReadFormAsync();
        string to = form["To"].ToString(), from = form["From"].ToString();
        var content = kind == "sms" ? form["Body"].ToString() : form["Twiml"].ToString();
        if (!System.Text.RegularExpressions.Regex.IsMatch(to, @"^\+[1-9]\d{7,14}$"))
            return Results.Json(new { code = 21211, message = $"The 'To' number {to} is not a valid phone number.", status = 400 }, statusCode: 400);
        if (from != From) return Results.Json(new { code = 21606, message = "The From phone number is not valid", status = 400 }, statusCode: 400);
        if (content.Length == 0 || (kind == "call" && !content.Contains("<Say")))
            return Results.Json(new { code = 21602, message = "Message body is required.", status = 400 }, statusCode: 400);
        var sid = (kind == "sms" ? "SM" : "CA") + Guid.NewGuid().ToString("N");
        Accepted.Enqueue((kind, to, content, DateTime.UtcNow));
        if (form["StatusCallback"].ToString() is { Length: > 0 } callback) _ = SendCallbacksAsync(callback, kind, sid, to);
        return Results.Json(new { sid, account_sid = Sid, to, from, status = "queued", body = kind == "sms" ? content : null }, statusCode: 201);
    }

    private async Task SendCallbacksAsync(string url, string kind, string sid, string to)
    {
        await Task.Delay(50);
        var failed = Undeliverable.Contains(to);
        var steps = kind == "sms"
            ? failed ? new[] { "sent", "failed" } : ["sent", "delivered"]
            : failed ? ["ringing", "busy"] : ["ringing", "completed"];
        foreach (var step in steps)
        {
            var fields = new Dictionary<string, string> { ["AccountSid"] = Sid, ["To"] = to, ["From"] = From };
            if (kind == "sms")
            {
                fields["MessageSid"] = sid;
                fields["MessageStatus"] = step;
            }
            else
            {
                fields["CallSid"] = sid;
                fields["CallStatus"] = step;
            }
            if (failed && step is "failed" or "busy") fields["ErrorCode"] = "30003";
            try
            {
                await PostSignedAsync(url, fields);
            }
            catch (HttpRequestException)
            {
                // Our service is down (a restart test): Twilio would retry; this fake does not.
            }
        }
    }
}
