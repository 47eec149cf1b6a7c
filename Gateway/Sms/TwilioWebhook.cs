using CityArray.Grains.Sms;
using Microsoft.Extensions.Options;
using Twilio.Security;

namespace CityArray.Gateway.Sms;

/// <summary>
/// Checks a Twilio webhook's <c>X-Twilio-Signature</c> with the package's <see cref="RequestValidator"/> (HMAC-SHA1 of
/// the full URL and the sorted form fields, compared in constant time). The URL is <c>PUBLIC_BASE_URL</c> plus the
/// request's path and query when set (Twilio signs the address it called, which a proxy in front changes), else the
/// request's own URL.
/// </summary>
public sealed class TwilioWebhook(IOptions<TwilioOptions> options)
{
    public const string SignatureHeader = "X-Twilio-Signature";

    public bool Enabled => options.Value.Enabled;

    /// <summary>The signed form fields, or null when the signature is missing or wrong.</summary>
    public async Task<Dictionary<string, string>?> ReadSignedFormAsync(HttpRequest request)
    {
        if (!request.HasFormContentType) return null;
        var signature = request.Headers[SignatureHeader].ToString();
        if (string.IsNullOrEmpty(signature)) return null;
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        var validator = new RequestValidator(options.Value.AuthToken);
        return validator.Validate(SignedUrl(request), fields, signature) ? fields : null;
    }

    private string SignedUrl(HttpRequest request)
    {
        var pathAndQuery = $"{request.PathBase}{request.Path}{request.QueryString}";
        return options.Value.PublicBaseUrl is { } baseUrl
            ? baseUrl.GetLeftPart(UriPartial.Authority) + baseUrl.AbsolutePath.TrimEnd('/') + pathAndQuery
            : $"{request.Scheme}://{request.Host}{pathAndQuery}";
    }
}
