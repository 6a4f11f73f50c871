using System.Text.Json;

namespace Wharf.Registry.Auth;

/// <summary>GET /token?service=...&amp;scope=...: the Docker token endpoint. Basic credentials must be right (wrong
/// ones are 401) and anonymous callers get a token that grants nothing. The server refuses token auth without an
/// htpasswd file, so <c>users</c> is null only where a host builds this by hand (then everyone is trusted).</summary>
internal sealed class TokenEndpoint(TokenService tokens, HtpasswdFile? users, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        string? account = null;
        var authenticated = users is null;
        if (HtpasswdFile.ReadBasic(request) is { } credentials)
        {
            if (users is not null && !users.Verify(credentials.User, credentials.Password))
            {
                response.StatusCode = StatusCodes.Status401Unauthorized;
                response.ContentType = "application/json";
                await response.WriteAsync("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\",\"detail\":null}]}", context.RequestAborted).ConfigureAwait(false);
                return;
            }
            account = credentials.User;
            authenticated = true;
        }
        var requested = request.Query["scope"].SelectMany(s => (s ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(AccessScope.TryParse).OfType<AccessScope>().ToList();
        var granted = authenticated ? requested : [];
        var token = tokens.Issue(account, granted);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("token", token);
            json.WriteString("access_token", token);
            json.WriteNumber("expires_in", (int)TokenService.Lifetime.TotalSeconds);
            json.WriteString("issued_at", time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }
        response.ContentType = "application/json";
        await response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }
}
