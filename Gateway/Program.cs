using CityArray.Gateway;

try
{
    await GatewayApp.Build(args).RunAsync();
    return 0;
}
catch (FormatException e)
{
    // A configuration value is wrong: say which, without a stack trace.
    Console.Error.WriteLine($"CityArray cannot start: {e.Message}");
    return 2;
}
