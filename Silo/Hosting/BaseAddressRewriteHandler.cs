namespace CityArray.Silo.Hosting;

/// <summary>
/// Sends a client's requests to another base address, keeping path and query: for SDKs such as Twilio's that build
/// their own absolute URLs (tests point them at a fake on loopback; a deployment at a proxy).
/// </summary>
public sealed class BaseAddressRewriteHandler(Uri baseAddress) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } original)
        {
            var prefix = baseAddress.AbsolutePath.TrimEnd('/');
            request.RequestUri = new UriBuilder(baseAddress.Scheme, baseAddress.Host, baseAddress.Port, prefix + original.AbsolutePath)
            {
                Query = original.Query.TrimStart('?'),
            }.Uri;
        }
        return base.SendAsync(request, cancellationToken);
    }
}
