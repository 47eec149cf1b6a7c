using CityArray.Grains.Interfaces.Security;

namespace CityArray.Gateway.Security;

/// <summary>
/// At start, makes the admin account named by <c>ADMIN_USERNAME</c>/<c>ADMIN_PASSWORD</c> if it does not exist yet (an
/// existing account is left alone: change its password through the API). Retries while the cluster is not reachable.
/// </summary>
public sealed class BootstrapAdmin(SecurityOptions security, IClusterClient cluster, ILogger<BootstrapAdmin> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (security.AdminUsername is not { } username || security.AdminPassword is not { } password)
        {
            if (security.Secured)
                logger.LogWarning("No ADMIN_USERNAME/ADMIN_PASSWORD: no admin is created at start (existing operator accounts still work)");
            return;
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var created = await cluster.GetGrain<IOperatorGrain>(username).CreateAsync(password, OperatorRoles.Admin);
                logger.LogInformation(created ? "Created the bootstrap admin {Username}" : "Bootstrap admin {Username} already exists", username);
                return;
            }
            catch (Exception e) when (attempt < 10 && !cancellationToken.IsCancellationRequested && e is not ArgumentException)
            {
                logger.LogWarning("Could not create the bootstrap admin yet ({Error}); retrying", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
