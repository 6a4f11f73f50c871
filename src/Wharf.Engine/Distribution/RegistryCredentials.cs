namespace Wharf.Engine.Distribution;

/// <summary>What a client sent in X-Registry-Auth (or /auth): user name and password, or a token it got earlier.</summary>
public sealed record RegistryCredentials(string? Username, string? Password, string? IdentityToken = null, string? RegistryToken = null)
{
    public bool IsEmpty => string.IsNullOrEmpty(Username) && string.IsNullOrEmpty(IdentityToken) && string.IsNullOrEmpty(RegistryToken);
}
