namespace CityArray.Tests.Infrastructure;

/// <summary>Unique scratch folders under the system temp folder for one test run.</summary>
public static class TempDirectory
{
    public static string Create(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), "cityarray-tests", $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }
}
