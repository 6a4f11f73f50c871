using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Wharf.Core.Errors;

namespace Wharf.Engine.Distribution;

/// <summary>HTTP client for one registry host, speaking the distribution API with Docker's auth flow: a request that
/// comes back 401 is retried once after following the WWW-Authenticate challenge (Basic: send the credentials;
/// Bearer: fetch a token for the request's scope from the realm). Tokens are cached per scope. Insecure registries
/// (loopback always) get HTTPS without verification first and plain HTTP when that fails, as Docker does.</summary>
public sealed class RegistryClient : IDisposable
{
    private const string DockerHubDomain = "docker.io";

    private readonly string _host;
    private readonly RegistryCredentials? _credentials;
    private readonly bool _insecure;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _pingGate = new(1, 1);
    private readonly string? _fixedScheme;
    private Uri? _base;
    private AuthChallenge? _challenge;

    /// <param name="endpoint">A registry mirror's URL ("http://127.0.0.1:5000"): its scheme is used as given
    /// instead of being probed.</param>
    public RegistryClient(string domain, RegistryCredentials? credentials, DistributionOptions options, Uri? endpoint = null)
    {
        // Every contact with a registry comes through here, so the air-gap rule cannot be bypassed by a code path
        // (pull, push, login, build's FROM, run's implicit pull). Mirrors are configured explicitly: always allowed.
        if (endpoint is null) RegistryAllowList.EnsureAllowed(options.AllowedRegistries, domain);
        _host = endpoint is not null ? endpoint.Authority : domain == DockerHubDomain ? options.DockerHubEndpoint : domain;
        _fixedScheme = endpoint?.Scheme;
        if (endpoint is not null) domain = endpoint.Authority;
        _credentials = credentials is { IsEmpty: false } ? credentials : null;
        _insecure = IsInsecure(_host, options.InsecureRegistries, options.LoopbackIsInsecure);
        var trusted = LoadCustomCas(options.CertsDirectory, domain);
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(15),
            AutomaticDecompression = DecompressionMethods.None,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => ValidateCertificate(certificate, errors, trusted),
            },
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("wharf/1.0");
    }

    /// <summary>The registry's host as addressed ("127.0.0.1:5000").</summary>
    public string Host => _host;

    /// <summary>Loopback, localhost and configured hosts/CIDRs.</summary>
    public static bool IsInsecure(string host, IReadOnlyList<string> insecureRegistries) => IsInsecure(host, insecureRegistries, loopbackIsInsecure: true);

    /// <summary><see cref="IsInsecure(string, IReadOnlyList{string})"/>, with loopback's free pass switchable (tests
    /// of TLS verification and certs.d run their registries on 127.0.0.1).</summary>
    public static bool IsInsecure(string host, IReadOnlyList<string> insecureRegistries, bool loopbackIsInsecure)
    {
        var name = host;
        var colon = name.LastIndexOf(':');
        if (colon > 0 && !name.EndsWith(']')) name = name[..colon];
        name = name.Trim('[', ']');
        var isAddress = IPAddress.TryParse(name, out var address);
        if (loopbackIsInsecure && (name == "localhost" || (isAddress && IPAddress.IsLoopback(address!)))) return true;
        foreach (var entry in insecureRegistries)
        {
            if (string.Equals(entry, host, StringComparison.OrdinalIgnoreCase) || string.Equals(entry, name, StringComparison.OrdinalIgnoreCase)) return true;
            if (address is not null && entry.Contains('/', StringComparison.Ordinal) && InCidr(address, entry)) return true;
        }
        return false;
    }

    /// <summary>Sends a request built against the registry's base URL, authenticating for
    /// repository:<paramref name="repository"/>:pull[,push] when challenged. The caller disposes the response.</summary>
    public async Task<HttpResponseMessage> SendAsync(Func<Uri, HttpRequestMessage> build, string repository, bool push, CancellationToken ct)
    {
        var baseUri = await BaseAsync(ct).ConfigureAwait(false);
        var scope = $"repository:{repository}:{(push ? "pull,push" : "pull")}";
        var request = build(baseUri);
        Authorize(request, scope);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;
        var challenge = AuthChallenge.Parse(response.Headers.WwwAuthenticate.ToString());
        response.Dispose();
        request.Dispose();
        if (!await AuthenticateAsync(challenge, scope, ct).ConfigureAwait(false))
        {
            throw new EngineException(ErrorKind.Unauthorized, "unauthorized: authentication required");
        }
        var retry = build(baseUri);
        Authorize(retry, scope);
        return await _http.SendAsync(retry, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
    }

    /// <summary>docker login: checks the credentials against the registry (GET /v2/, then the token endpoint when it
    /// asks for bearer tokens). Throws Unauthorized when they are refused.</summary>
    public async Task LoginAsync(CancellationToken ct)
    {
        var baseUri = await BaseAsync(ct).ConfigureAwait(false);
        if (_challenge is null) return; // the registry needs no credentials at all
        var failed = new EngineException(ErrorKind.Unauthorized,
            $"login attempt to {new Uri(baseUri, "/v2/")} failed with status: 401 Unauthorized");
        if (_credentials is null) throw failed;
        if (string.Equals(_challenge.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            if (!await FetchTokenAsync(_challenge, null, ct).ConfigureAwait(false)) throw failed;
            return;
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "/v2/"));
        request.Headers.Authorization = BasicHeader();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw failed;
    }

    public void Dispose()
    {
        _http.Dispose();
        _pingGate.Dispose();
    }

    /// <summary>Learns the scheme (and the auth challenge) once with GET /v2/.</summary>
    private async Task<Uri> BaseAsync(CancellationToken ct)
    {
        if (_base is not null) return _base;
        await _pingGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_base is not null) return _base;
            var candidates = _fixedScheme is not null ? [_fixedScheme] : _insecure ? new[] { "https", "http" } : ["https"];
            Exception? last = null;
            foreach (var scheme in candidates)
            {
                var uri = new Uri($"{scheme}://{_host}/");
                try
                {
                    // Headers only: the body of /v2/ is never needed, and a hostile registry could make it endless.
                    using var response = await _http.GetAsync(new Uri(uri, "/v2/"), HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
                    if (response.StatusCode == HttpStatusCode.Unauthorized) _challenge = AuthChallenge.Parse(response.Headers.WwwAuthenticate.ToString());
                    _base = uri;
                    return uri;
                }
                catch (HttpRequestException e)
                {
                    last = e;
                }
            }
            throw new EngineException(ErrorKind.Unavailable, $"Get \"https://{_host}/v2/\": {last?.Message}", last);
        }
        finally
        {
            _pingGate.Release();
        }
    }

    private void Authorize(HttpRequestMessage request, string scope)
    {
        if (_tokens.TryGetValue(scope, out var token) || _tokens.TryGetValue(scope.Replace(":pull", ":pull,push", StringComparison.Ordinal), out token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (_credentials is not null && _challenge is { } challenge && string.Equals(challenge.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
        {
            request.Headers.Authorization = BasicHeader();
        }
    }

    private async Task<bool> AuthenticateAsync(AuthChallenge? challenge, string scope, CancellationToken ct)
    {
        if (challenge is null) return false;
        _challenge = challenge;
        if (string.Equals(challenge.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)) return _credentials is not null;
        if (!string.Equals(challenge.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)) return false;
        // Ask for our scope and whatever the challenge names (insufficient_scope names the one it wants) in one token.
        var wanted = challenge["scope"] is { Length: > 0 } named && named != scope ? scope + " " + named : scope;
        if (!await FetchTokenAsync(challenge, wanted, ct).ConfigureAwait(false)) return false;
        _tokens[scope] = _tokens[wanted];
        return true;
    }

    private async Task<bool> FetchTokenAsync(AuthChallenge challenge, string? scope, CancellationToken ct)
    {
        var realm = challenge["realm"];
        if (string.IsNullOrEmpty(realm)) return false;
        var query = new StringBuilder();
        if (challenge["service"] is { } service) query.Append("service=").Append(Uri.EscapeDataString(service));
        if (scope is not null)
        {
            foreach (var part in scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                query.Append(query.Length > 0 ? "&" : "").Append("scope=").Append(Uri.EscapeDataString(part));
        }
        if (_credentials?.Username is { Length: > 0 } user) query.Append(query.Length > 0 ? "&" : "").Append("account=").Append(Uri.EscapeDataString(user));
        var separator = realm.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        using var request = new HttpRequestMessage(HttpMethod.Get, realm + (query.Length > 0 ? separator + query : ""));
        if (_credentials?.RegistryToken is { Length: > 0 } registryToken)
        {
            _tokens[scope ?? ""] = registryToken;
            return true;
        }
        if (_credentials is { Username.Length: > 0 }) request.Headers.Authorization = BasicHeader();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) return false;
        using var document = JsonDocument.Parse(await BoundedBody.ReadAsync(response, BoundedBody.SmallLimit, "token response", ct).ConfigureAwait(false));
        var root = document.RootElement;
        var token = root.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()
            : root.TryGetProperty("access_token", out var at) && at.ValueKind == JsonValueKind.String ? at.GetString() : null;
        if (string.IsNullOrEmpty(token)) return false;
        _tokens[scope ?? ""] = token;
        return true;
    }

    private AuthenticationHeaderValue BasicHeader() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_credentials?.Username}:{_credentials?.Password}")));

    private bool ValidateCertificate(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection trusted)
    {
        if (errors == SslPolicyErrors.None || _insecure) return true;
        if (trusted.Count == 0 || certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    /// <summary>Docker's certs.d: every *.crt under &lt;dir&gt;/&lt;host:port&gt;/ is a CA for that registry.</summary>
    private static X509Certificate2Collection LoadCustomCas(string directory, string domain)
    {
        var collection = new X509Certificate2Collection();
        var hostDirectory = Path.Combine(directory, domain);
        if (!Directory.Exists(hostDirectory)) return collection;
        foreach (var file in Directory.EnumerateFiles(hostDirectory, "*.crt"))
        {
            try
            {
                collection.ImportFromPemFile(file);
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // Not a CA bundle (e.g. a client certificate without its key); Docker skips those too.
            }
        }
        return collection;
    }

    private static bool InCidr(IPAddress address, string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (!IPAddress.TryParse(cidr[..slash], out var network) || !int.TryParse(cidr[(slash + 1)..], out var bits)) return false;
        if (network.AddressFamily != address.AddressFamily) return false;
        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        for (var i = 0; i < a.Length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xff : (byte)(0xff << (8 - bits));
            if ((a[i] & mask) != (n[i] & mask)) return false;
        }
        return address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6;
    }
}
