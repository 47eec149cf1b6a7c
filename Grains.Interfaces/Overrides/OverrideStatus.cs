namespace CityArray.Grains.Interfaces.Overrides;

/// <summary>An override's life: <c>active</c> until it is <c>cancelled</c> (<c>DELETE</c>) or <c>expired</c> (<c>expires_at</c>).</summary>
public static class OverrideStatus
{
    public const string Active = "active";
    public const string Cancelled = "cancelled";
    public const string Expired = "expired";
}
