using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Wharf.Cli.Registry;

/// <summary>
/// Talks to a registry directly (OCI Distribution API), as docker's CLI does for manifest inspect: plain HTTP for
/// loopback registries (docker treats them as insecure), HTTPS elsewhere; answers a 401 with the saved credentials,
/// as HTTP basic auth or as a bearer token fetched from the realm the challenge names.
/// </summary>
internal sealed class RegistryHttpClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly DockerConfigAuth _auth;
    private readonly string _host;
    private AuthenticationHeaderValue? _authorization;

    public RegistryHttpClient(string host, DockerConfigAuth auth, bool insecure)
    {
        _host = host;
        _auth = auth;
        var handler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = true };
        if (insecure)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }

        _http = new HttpClient(handler) { BaseAddress = new Uri((IsLoopback(host) ? "http://" : "https://") + host + "/"), Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("wharf", "1.0"));
    }

    /// <summary>localhost, 127.0.0.0/8 and ::1 (with or without a port) — registries docker reaches over plain HTTP.</summary>
    public static bool IsLoopback(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = host.StartsWith('[') ? host[1..host.IndexOf(']', StringComparison.Ordinal)] : host.Split(':')[0];
        return name == "localhost" || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>GET <paramref name="path"/> (relative to the registry root), authenticating once if challenged.</summary>
    public async Task<HttpResponseMessage> GetAsync(string path, IEnumerable<string> accept, string scope, CancellationToken cancellationToken)
    {
        var accepts = accept.ToList();
        var response = await SendAsync(path, accepts, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        var challenge = response.Headers.WwwAuthenticate.FirstOrDefault();
        response.Dispose();
        _authorization = await AuthorizeAsync(challenge, scope, cancellationToken).ConfigureAwait(false);
        return await SendAsync(path, accepts, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(string path, List<string> accept, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var type in accept)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        request.Headers.Authorization = _authorization;
        return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AuthenticationHeaderValue?> AuthorizeAsync(AuthenticationHeaderValue? challenge, string scope, CancellationToken cancellationToken)
    {
        var saved = _auth.Get(_host);
        var basic = saved is var (user, password) ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")) : null;
        if (challenge is null || challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return basic is null ? null : new AuthenticationHeaderValue("Basic", basic);
        }

        var parameters = ParseChallenge(challenge.Parameter ?? "");
        if (!parameters.TryGetValue("realm", out var realm))
        {
            return null;
        }

        var query = new StringBuilder("?");
        if (parameters.TryGetValue("service", out var service))
        {
            query.Append("service=").Append(Uri.EscapeDataString(service)).Append('&');
        }

        query.Append("scope=").Append(Uri.EscapeDataString(parameters.TryGetValue("scope", out var asked) ? asked : scope));
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, realm + query);
        if (basic is not null)
        {
            tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }

        using var tokenResponse = await _http.SendAsync(tokenRequest, cancellationToken).ConfigureAwait(false);
        if (!tokenResponse.IsSuccessStatusCode)
        {
            return null;
        }

        using var document = await global::System.Text.Json.JsonDocument.ParseAsync(
            await tokenResponse.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        var token = root.TryGetProperty("token", out var t) ? t.GetString() : root.TryGetProperty("access_token", out var a) ? a.GetString() : null;
        return token is null ? null : new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>key="value" pairs of a WWW-Authenticate challenge (values may contain commas inside the quotes).</summary>
    internal static Dictionary<string, string> ParseChallenge(string parameter)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < parameter.Length)
        {
            var eq = parameter.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            var key = parameter[i..eq].Trim(' ', ',');
            string value;
            if (eq + 1 < parameter.Length && parameter[eq + 1] == '"')
            {
                var end = parameter.IndexOf('"', eq + 2);
                end = end < 0 ? parameter.Length : end;
                value = parameter[(eq + 2)..end];
                i = end + 1;
            }
            else
            {
                var end = parameter.IndexOf(',', eq + 1);
                end = end < 0 ? parameter.Length : end;
                value = parameter[(eq + 1)..end];
                i = end;
            }

            result[key] = value;
            i = parameter.IndexOf(',', Math.Min(i, parameter.Length)) is var comma and >= 0 ? comma + 1 : parameter.Length;
        }

        return result;
    }

    public void Dispose() => _http.Dispose();
}
