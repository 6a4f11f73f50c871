namespace Wharf.Registry.Auth;

/// <summary>The outcome of an access check: allowed, or refused with the WWW-Authenticate challenge to send
/// (<see cref="Denied"/> means authenticated but not permitted: 403 instead of 401).</summary>
internal sealed record AccessDecision(bool Allowed, string? Challenge, bool Denied = false, string? Account = null)
{
    public static AccessDecision Allow(string? account = null) => new(true, null, Account: account);
}
