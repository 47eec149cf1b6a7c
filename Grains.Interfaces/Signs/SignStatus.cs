namespace CityArray.Grains.Interfaces.Signs;

/// <summary>A sign's liveness: <c>online</c> while heartbeats arrive in time, else <c>offline</c>.</summary>
public static class SignStatus
{
    public const string Online = "online";
    public const string Offline = "offline";
}
