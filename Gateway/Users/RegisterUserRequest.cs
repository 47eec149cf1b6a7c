namespace CityArray.Gateway.Users;

/// <summary>Body of <c>POST /api/users/register</c>.</summary>
public sealed record RegisterUserRequest(string? Phone, string? Name);
