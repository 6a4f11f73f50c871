using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Wharf.Core.Errors;

namespace Wharf.Engine.Volumes.Plugins;

/// <summary>Docker's volume plugin protocol: JSON over HTTP POSTs on the plugin's socket. A plugin is activated
/// once (POST /Plugin.Activate must list "VolumeDriver"); every call has a time-out, and a missing plugin, a
/// hanging one, an error answer ("Err") or garbage all become EngineExceptions with the call named.</summary>
public sealed class VolumePluginClient(PluginDiscovery discovery, TimeSpan timeout) : IVolumePluginClient, IDisposable
{
    private const string MediaType = "application/vnd.docker.plugins.v1.2+json";
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HttpClient> _activated = new(StringComparer.Ordinal);

    public VolumePluginClient() : this(new PluginDiscovery(), TimeSpan.FromSeconds(30))
    {
    }

    public void Create(string driver, string name, IReadOnlyDictionary<string, string> options) =>
        Call(driver, "VolumeDriver.Create", w =>
        {
            w.WriteString("Name", name);
            w.WriteStartObject("Opts");
            foreach (var (k, v) in options) w.WriteString(k, v);
            w.WriteEndObject();
        }, $"create {name}");

    public void Remove(string driver, string name) =>
        Call(driver, "VolumeDriver.Remove", w => w.WriteString("Name", name), $"remove {name}");

    public string Mount(string driver, string name, string mountId)
    {
        var answer = Call(driver, "VolumeDriver.Mount", w => { w.WriteString("Name", name); w.WriteString("ID", mountId); }, $"mount {name}");
        return answer.TryGetProperty("Mountpoint", out var mountpoint) && mountpoint.ValueKind == JsonValueKind.String && mountpoint.GetString() is { Length: > 0 } path
            ? path
            : throw new EngineException(ErrorKind.Unknown, $"mount {name}: VolumeDriver.Mount: plugin {driver} returned no mountpoint");
    }

    public void Unmount(string driver, string name, string mountId) =>
        Call(driver, "VolumeDriver.Unmount", w => { w.WriteString("Name", name); w.WriteString("ID", mountId); }, $"unmount {name}");

    public IReadOnlyList<string> DiscoverDrivers() => discovery.All();

    public IReadOnlyList<PluginVolume> List(string driver)
    {
        var answer = Call(driver, "VolumeDriver.List", _ => { }, "list");
        if (!answer.TryGetProperty("Volumes", out var volumes) || volumes.ValueKind != JsonValueKind.Array) return [];
        return volumes.EnumerateArray().Select(ToPluginVolume).OfType<PluginVolume>().ToList();
    }

    public PluginVolume? Get(string driver, string name)
    {
        JsonElement answer;
        try
        {
            answer = Call(driver, "VolumeDriver.Get", w => w.WriteString("Name", name), $"get {name}");
        }
        catch (EngineException)
        {
            // An "Err" answer is how a plugin says it has no such volume; like Docker, a plugin that fails or
            // hangs here does not have it either (the lookup goes on to the next plugin).
            return null;
        }
        return answer.TryGetProperty("Volume", out var volume) ? ToPluginVolume(volume) : null;
    }

    private static PluginVolume? ToPluginVolume(JsonElement volume) =>
        volume.ValueKind == JsonValueKind.Object && volume.TryGetProperty("Name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() is { Length: > 0 } name
            ? new PluginVolume(name, volume.TryGetProperty("Mountpoint", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : "")
            : null;

    /// <summary>VolumeDriver.Capabilities: "local" or "global" (Docker assumes local when absent).</summary>
    public string Scope(string driver)
    {
        var answer = Call(driver, "VolumeDriver.Capabilities", _ => { }, "capabilities");
        return answer.TryGetProperty("Capabilities", out var caps) && caps.ValueKind == JsonValueKind.Object
            && caps.TryGetProperty("Scope", out var scope) && scope.GetString() is { Length: > 0 } s ? s : "local";
    }

    private JsonElement Call(string driver, string method, Action<Utf8JsonWriter> body, string context)
    {
        var client = Activate(driver);
        return Post(client, driver, method, body, context);
    }

    private HttpClient Activate(string driver)
    {
        lock (_gate)
        {
            if (_activated.TryGetValue(driver, out var existing)) return existing;
        }
        var address = discovery.Find(driver)
            ?? throw EngineException.NotFound($"error looking up volume plugin {driver}: plugin \"{driver}\" not found");
        var client = NewClient(address);
        try
        {
            var answer = Post(client, driver, "Plugin.Activate", null, "activate");
            var implements = answer.TryGetProperty("Implements", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(e => e.GetString()).ToList()
                : [];
            if (!implements.Contains("VolumeDriver"))
                throw EngineException.NotFound($"error looking up volume plugin {driver}: plugin \"{driver}\" does not implement VolumeDriver");
        }
        catch
        {
            client.Dispose();
            throw;
        }
        lock (_gate)
        {
            if (_activated.TryGetValue(driver, out var raced)) { client.Dispose(); return raced; }
            _activated[driver] = client;
            return client;
        }
    }

    private HttpClient NewClient(string address)
    {
        if (address.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = address["unix://".Length..];
            var handler = new SocketsHttpHandler
            {
                // No connection is reused (see SendRetryingRefusals): a lifetime of zero retires each one after its call.
                PooledConnectionLifetime = TimeSpan.Zero,
                ConnectCallback = async (_, ct) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct).ConfigureAwait(false);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            return new HttpClient(handler) { BaseAddress = new Uri("http://plugin/"), Timeout = timeout };
        }
        var uri = address.StartsWith("tcp://", StringComparison.Ordinal) ? "http://" + address["tcp://".Length..] : address;
        return new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { BaseAddress = new Uri(uri.TrimEnd('/') + "/"), Timeout = timeout };
    }

    /// <summary>Sends the request, again after a short pause while the plugin's socket refuses connections (a plugin
    /// starting up has its socket file before it listens; Docker's plugin client retries too). A refused connection
    /// never reached the plugin, so sending again is safe; anything else is not retried.</summary>
    private static HttpResponseMessage SendRetryingRefusals(HttpClient client, string method, byte[] body, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, method) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.Accept.ParseAdd(MediaType);
            // A connection per call (the handler pools none, and says so): many plugins speak HTTP/1.0 and close
            // after answering, and a pooled connection they had closed failed the next call as "unreachable".
            // Plugin calls are rare; a connect on a unix socket is cheap.
            request.Headers.ConnectionClose = true;
            try
            {
                return client.Send(request, ct);
            }
            catch (HttpRequestException e) when (attempt < 5 && e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                Thread.Sleep(50 << attempt);
            }
        }
    }

    private JsonElement Post(HttpClient client, string driver, string method, Action<Utf8JsonWriter>? body, string context)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body?.Invoke(writer);
            writer.WriteEndObject();
        }
        string text;
        int status;
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            using var response = SendRetryingRefusals(client, method, buffer.ToArray(), cts.Token);
            status = (int)response.StatusCode;
            using var reader = new StreamReader(response.Content.ReadAsStream(cts.Token), Encoding.UTF8);
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is TaskCanceledException or OperationCanceledException)
        {
            throw new EngineException(ErrorKind.Unknown, $"{context}: {method}: plugin {driver} did not answer within {timeout.TotalSeconds:0.###}s");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException)
        {
            throw new EngineException(ErrorKind.Unknown, $"{context}: {method}: plugin {driver} is unreachable: {e.Message}");
        }
        JsonElement answer;
        try
        {
            using var document = JsonDocument.Parse(text);
            answer = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            var snippet = text.Length > 80 ? text[..80] + "..." : text;
            throw new EngineException(ErrorKind.Unknown, $"{context}: {method}: invalid answer from plugin {driver} (HTTP {status}): {snippet}");
        }
        if (answer.ValueKind != JsonValueKind.Object)
            throw new EngineException(ErrorKind.Unknown, $"{context}: {method}: invalid answer from plugin {driver}: not a JSON object");
        if (answer.TryGetProperty("Err", out var err) && err.ValueKind == JsonValueKind.String && err.GetString() is { Length: > 0 } message)
            throw new EngineException(ErrorKind.Unknown, $"{context}: {method}: {message}");
        if (status >= 400)
            throw new EngineException(ErrorKind.Unknown, $"{context}: {method}: plugin {driver} answered HTTP {status}");
        return answer;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var client in _activated.Values) client.Dispose();
            _activated.Clear();
        }
    }
}
