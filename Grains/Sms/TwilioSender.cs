using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.TwiML;
using Twilio.TwiML.Voice;
using Twilio.Types;

namespace CityArray.Grains.Sms;

/// <summary>
/// Sends SMS and voice calls through the official Twilio package, on a <see cref="System.Net.Http.HttpClient"/> that
/// carries the resilience handler (timeouts; retries only where nothing can have been sent) and, in tests, the fake's
/// address. Outcomes are classified so the caller can retry without ever sending twice.
/// </summary>
public sealed class TwilioSender(System.Net.Http.HttpClient http, IOptions<TwilioOptions> options)
{
    private TwilioOptions Options => options.Value;

    private TwilioRestClient Client() =>
        new(Options.AccountSid, Options.AuthToken, accountSid: Options.AccountSid, httpClient: new SystemNetHttpClient(http));

    public async Task<SendOutcome> SendSmsAsync(string to, string body, Uri? statusCallback)
    {
        var create = new CreateMessageOptions(new PhoneNumber(to)) { From = new PhoneNumber(Options.PhoneNumber), Body = body, StatusCallback = statusCallback };
        return await GuardAsync(async () =>
        {
            var message = await MessageResource.CreateAsync(create, Client());
            return new SendOutcome(SendOutcome.Kinds.Accepted, message.Sid, message.Status?.ToString());
        });
    }

    public async Task<SendOutcome> CallAsync(string to, string message, string language, Uri? statusCallback)
    {
        var create = new CreateCallOptions(new PhoneNumber(to), new PhoneNumber(Options.PhoneNumber))
        {
            Twiml = new Twiml(SayTwiml(message, language)),
            StatusCallback = statusCallback,
        };
        return await GuardAsync(async () =>
        {
            var call = await CallResource.CreateAsync(create, Client());
            return new SendOutcome(SendOutcome.Kinds.Accepted, call.Sid, call.Status?.ToString());
        });
    }

    /// <summary>The TwiML a call reads: the message twice, in the alert's language.</summary>
    public static string SayTwiml(string message, string language)
    {
        var voice = new VoiceResponse();
        var lang = language == "es" ? Say.LanguageEnum.EsMx : Say.LanguageEnum.EnUs;
        voice.Say(message, language: lang);
        voice.Pause(length: 1);
        voice.Say(message, language: lang);
        return voice.ToString();
    }

    private static async Task<SendOutcome> GuardAsync(Func<Task<SendOutcome>> send)
    {
        try
        {
            return await send();
        }
        catch (ApiException e) when (e.Status is 0 or 429 or >= 500)
        {
            // Status 0: Twilio's package could not read the error body (a proxy or an outage page, not Twilio's JSON).
            return new SendOutcome(SendOutcome.Kinds.RetryLater, ErrorCode: e.Code == 0 ? null : e.Code.ToString(), Error: $"Twilio {e.Status}");
        }
        catch (ApiException e)
        {
            return new SendOutcome(SendOutcome.Kinds.Refused, ErrorCode: e.Code == 0 ? e.Status.ToString() : e.Code.ToString(), Error: e.Message);
        }
        catch (Exception e) when (NothingSent(e))
        {
            return new SendOutcome(SendOutcome.Kinds.RetryLater, Error: "Twilio unreachable");
        }
        catch (Exception e)
        {
            // A timeout or a lost answer: the message may have gone out.
            return new SendOutcome(SendOutcome.Kinds.NoAnswer, Error: e.GetType().Name);
        }
    }

    /// <summary>The request never reached Twilio: connection refused, unknown host, or the circuit breaker is open.</summary>
    private static bool NothingSent(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NetworkUnreachable }) return true;
            if (x.GetType().Name == "BrokenCircuitException") return true;
        }
        return false;
    }
}
