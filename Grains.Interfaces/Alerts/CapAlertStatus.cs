namespace CityArray.Grains.Interfaces.Alerts;

/// <summary>A received CAP alert's life: <c>active</c> until a CAP <c>Cancel</c> (<c>cancelled</c>) or <c>Update</c> (<c>replaced</c>) references it.</summary>
public static class CapAlertStatus
{
    public const string Active = "active";
    public const string Cancelled = "cancelled";
    public const string Replaced = "replaced";
}
