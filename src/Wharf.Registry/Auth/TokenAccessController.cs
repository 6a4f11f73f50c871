namespace Wharf.Registry.Auth;

/// <summary>Bearer-token auth: requests carry a token from the token endpoint; without a sufficient one the answer is
/// 401 with <c>WWW-Authenticate: Bearer realm=..., service=..., scope=...</c> telling the client where to get one.</summary>
internal sealed class TokenAccessController(TokenService tokens, string? realm) : IAccessController
{
    public const string TokenPath = "/token";

    public AccessDecision Authorize(HttpRequest request, IReadOnlyList<AccessScope> scopes)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && tokens.Validate(header[7..].Trim()) is { } granted)
        {
            if (scopes.All(needed => Grants(granted, needed))) return AccessDecision.Allow();
            // 401, not 403: the client answers insufficient_scope by fetching a token for the scopes in the challenge.
            return new AccessDecision(false, Challenge(request, scopes, "insufficient_scope"));
        }
        return new AccessDecision(false, Challenge(request, scopes, header.Length > 0 ? "invalid_token" : null));
    }

    private static bool Grants(IReadOnlyList<AccessScope> granted, AccessScope needed) =>
        needed.Actions.All(action => granted.Any(g => g.Type == needed.Type && g.Name == needed.Name && (g.Actions.Contains(action) || g.Actions.Contains("*"))));

    private string Challenge(HttpRequest request, IReadOnlyList<AccessScope> scopes, string? error)
    {
        var where = realm ?? $"{request.Scheme}://{request.Host}{TokenPath}";
        var challenge = $"Bearer realm=\"{where}\",service=\"{tokens.Service}\"";
        if (scopes.Count > 0) challenge += $",scope=\"{string.Join(' ', scopes)}\"";
        if (error is not null) challenge += $",error=\"{error}\"";
        return challenge;
    }
}
