namespace Wharf.Registry.Auth;

/// <summary>Decides whether a request may do what its <see cref="AccessScope"/>s say: no auth, htpasswd basic auth or
/// bearer tokens.</summary>
internal interface IAccessController
{
    AccessDecision Authorize(HttpRequest request, IReadOnlyList<AccessScope> scopes);
}
