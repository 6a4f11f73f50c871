using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Wharf.Api.Client;

/// <summary>
/// Typed HTTP client for the Engine API over a unix socket or TCP. Paths are relative to the
/// versioned base (e.g. "containers/json?all=1"). Non-success answers become <see cref="EngineApiException"/>.
/// Callers use the typed groups (<see cref="Containers"/>, <see cref="Images"/>, ...); the path-level methods are
/// their building blocks.
/// </summary>
public sealed class EngineClient : IDisposable
{
    public const string DefaultApiVersion = "1.50";

    private readonly Lazy<HttpClient> _lazyHttp;

    public EngineClient(DockerEndpoint endpoint, string apiVersion = DefaultApiVersion)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint;
        ApiVersion = apiVersion;
        // Built on first use: a CLI call whose only request is a JSON GET on a unix socket never needs it.
        _lazyHttp = new Lazy<HttpClient>(() => CreateHttpClient(endpoint, apiVersion), LazyThreadSafetyMode.ExecutionAndPublication);
        Containers = new ContainersClient(this);
        Images = new ImagesClient(this);
        Networks = new NetworksClient(this);
        Volumes = new VolumesClient(this);
        Execs = new ExecsClient(this);
        System = new SystemClient(this);
        Builds = new BuildsClient(this);
    }

    private HttpClient Http => _lazyHttp.Value;

    private static HttpClient CreateHttpClient(DockerEndpoint endpoint, string apiVersion)
    {
        var handler = new SocketsHttpHandler
        {
            // Every connection goes to the one daemon endpoint, whatever the URI host says.
            ConnectCallback = async (_, cancellationToken) =>
            {
                return await endpoint.OpenStreamAsync(cancellationToken).ConfigureAwait(false);
            },
            UseProxy = false,
            AllowAutoRedirect = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        var http = new HttpClient(handler)
        {
            BaseAddress = new Uri($"http://docker/v{apiVersion}/"),
            // Streams (logs -f, events, wait) legitimately stay open for as long as the user wants.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue(UserAgentProduct, UserAgentVersion));
        return http;
    }

    private const string UserAgentProduct = "wharf";

    private const string UserAgentVersion = "1.0";

    /// <summary>Typed groups of endpoints, as the docker Go client groups them; commands call these, never paths.</summary>
    public ContainersClient Containers { get; }

    public ImagesClient Images { get; }

    public NetworksClient Networks { get; }

    public VolumesClient Volumes { get; }

    public ExecsClient Execs { get; }

    public SystemClient System { get; }

    public BuildsClient Builds { get; }

    public DockerEndpoint Endpoint { get; }

    public string ApiVersion { get; }

    /// <summary>The absolute request target for <paramref name="path"/> (used for hand-written requests).</summary>
    public string RequestTarget(string path) => $"/v{ApiVersion}/{path.TrimStart('/')}";

    /// <summary>GET /_ping; returns the daemon's Api-Version header (null if absent).</summary>
    public async Task<string?> PingAsync(CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("http://docker/_ping"));
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return response.Headers.TryGetValues("Api-Version", out var values) ? values.FirstOrDefault() : null;
    }

    /// <summary>GET /_ping; returns the daemon's Ostype header ("linux", "windows"; null if absent).</summary>
    public async Task<string?> PingOsTypeAsync(CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("http://docker/_ping"));
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return response.Headers.TryGetValues("Ostype", out var values) ? values.FirstOrDefault() : null;
    }

    /// <summary>Sends a request and returns the response once headers arrived; throws on 4xx/5xx.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        return await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a prepared request (relative URI, custom headers); throws on 4xx/5xx. Caller disposes the response.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task<T> GetJsonAsync<T>(string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        if (QuickGet(path) is { } body)
        {
            return JsonSerializer.Deserialize(body, typeInfo) ?? throw new InvalidDataException("Empty JSON response from daemon.");
        }

        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, typeInfo, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GET returning the raw JSON document (for inspect, which prints what the daemon sent).</summary>
    public async Task<JsonElement> GetRawJsonAsync(string path, CancellationToken cancellationToken = default)
    {
        if (QuickGet(path) is { } body)
        {
            return JsonSerializer.Deserialize(body, ApiJsonContext.Default.JsonElement);
        }

        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, ApiJsonContext.Default.JsonElement, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A GET for a JSON document, answered with blocking calls on this thread when the daemon is on a unix
    /// socket (see <see cref="UnixSocketGet"/>); null for other endpoints, which go through HttpClient.
    /// Throws <see cref="EngineApiException"/> on 4xx/5xx, as <see cref="SendAsync(HttpRequestMessage, CancellationToken)"/>.</summary>
    private byte[]? QuickGet(string path)
    {
        if (Endpoint.Kind != EndpointKind.Unix)
        {
            return null;
        }

        // The same target HttpClient would send: the relative path resolved against the versioned base, escaped.
        var target = new Uri(QuickBase(ApiVersion), path).PathAndQuery;
        var (status, body) = UnixSocketGet.Send(Endpoint.SocketPath, target, UserAgentProduct + "/" + UserAgentVersion);
        return status < 400 ? body : throw new EngineApiException(status, Hijack.ExtractMessage(Encoding.UTF8.GetString(body), status));
    }

    private static Uri QuickBase(string apiVersion) => new($"http://docker/v{apiVersion}/");

    public async Task<TResponse> PostJsonAsync<TRequest, TResponse>(
        string path, TRequest body, JsonTypeInfo<TRequest> requestInfo, JsonTypeInfo<TResponse> responseInfo, CancellationToken cancellationToken = default)
    {
        using var content = JsonContent(body, requestInfo);
        using var response = await SendAsync(HttpMethod.Post, path, content, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, responseInfo, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TResponse> PostAsync<TResponse>(string path, JsonTypeInfo<TResponse> responseInfo, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, path, null, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, responseInfo, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>POST without a body whose answer is only a status (204, or 304 = already in that state).</summary>
    public async Task<HttpStatusCode> PostAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, path, null, cancellationToken).ConfigureAwait(false);
        return response.StatusCode;
    }

    public async Task<HttpStatusCode> DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Delete, path, null, cancellationToken).ConfigureAwait(false);
        return response.StatusCode;
    }

    public async Task<TResponse> DeleteAsync<TResponse>(string path, JsonTypeInfo<TResponse> responseInfo, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Delete, path, null, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, responseInfo, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Performs an attach/exec-start upgrade on a fresh connection.</summary>
    public Task<HijackedStream> HijackAsync(string path, ReadOnlyMemory<byte> body = default, string contentType = "text/plain", CancellationToken cancellationToken = default) =>
        Hijack.ConnectAsync(Endpoint, RequestTarget(path), body, contentType, cancellationToken);

    public static HttpContent JsonContent<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>Builds a query string from pairs, skipping null values: Query(("all","1"),("name",null)).</summary>
    public static string Query(params (string Key, string? Value)[] pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var parts = pairs.Where(p => p.Value is not null)
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value!))
            .ToArray();
        return parts.Length == 0 ? "" : "?" + string.Join('&', parts);
    }

    public static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var value = await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false);
            return value ?? throw new InvalidDataException("Empty JSON response from daemon.");
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status < 400)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw new EngineApiException(status, Hijack.ExtractMessage(body, status));
    }

    public void Dispose()
    {
        if (_lazyHttp.IsValueCreated)
        {
            _lazyHttp.Value.Dispose();
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Endpoint} (API {ApiVersion})");
}
