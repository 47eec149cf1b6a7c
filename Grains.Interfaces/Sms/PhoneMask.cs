namespace CityArray.Grains.Interfaces.Sms;

/// <summary>Phone numbers in logs: only the last four digits (<c>***4567</c>), never the full number.</summary>
public static class PhoneMask
{
    public static string Mask(string? number) =>
        string.IsNullOrEmpty(number) ? "(none)" : number.Length <= 4 ? "***" : "***" + number[^4..];
}
