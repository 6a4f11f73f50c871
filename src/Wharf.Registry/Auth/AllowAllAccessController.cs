namespace Wharf.Registry.Auth;

/// <summary>No authentication: everyone may pull and push.</summary>
internal sealed class AllowAllAccessController : IAccessController
{
    public AccessDecision Authorize(HttpRequest request, IReadOnlyList<AccessScope> scopes) => AccessDecision.Allow();
}
