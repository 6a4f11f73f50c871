namespace Wharf.Registry.Auth;

/// <summary>Basic auth against an htpasswd file: any known user may pull and push anything.</summary>
internal sealed class HtpasswdAccessController(HtpasswdFile users, string realm) : IAccessController
{
    public AccessDecision Authorize(HttpRequest request, IReadOnlyList<AccessScope> scopes)
    {
        if (HtpasswdFile.ReadBasic(request) is { } credentials && users.Verify(credentials.User, credentials.Password))
            return AccessDecision.Allow(credentials.User);
        return new AccessDecision(false, $"Basic realm=\"{realm}\"");
    }
}
