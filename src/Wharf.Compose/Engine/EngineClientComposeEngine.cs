using System.Buffers.Binary;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Api.Containers;
using Wharf.Api.Events;
using Wharf.Api.Images;
using Wharf.Api.Networks;
using Wharf.Api.Streams;
using Wharf.Api.Volumes;

namespace Wharf.Compose.Engine;

/// <summary><see cref="IComposeEngine"/> over the Engine API client.</summary>
public sealed class EngineClientComposeEngine : IComposeEngine
{
    private readonly EngineClient _client;

    public EngineClientComposeEngine(EngineClient client) => _client = client;

    public async Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IEnumerable<string> labelFilters, bool all, CancellationToken cancellationToken) =>
        await _client.GetJsonAsync("containers/json" + EngineClient.Query(("all", all ? "1" : null), ("filters", LabelFilters(labelFilters))),
            ApiJsonContext.Default.ListContainerSummary, cancellationToken).ConfigureAwait(false);

    public Task<ContainerInspect> InspectContainerAsync(string id, CancellationToken cancellationToken) =>
        _client.GetJsonAsync($"containers/{Uri.EscapeDataString(id)}/json", ApiJsonContext.Default.ContainerInspect, cancellationToken);

    public async Task<string> CreateContainerAsync(string name, ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        var created = await _client.PostJsonAsync("containers/create" + EngineClient.Query(("name", name)), request,
            ApiJsonContext.Default.ContainerCreateRequest, ApiJsonContext.Default.ContainerCreateResponse, cancellationToken).ConfigureAwait(false);
        return created.Id;
    }

    public Task StartContainerAsync(string id, CancellationToken cancellationToken) => _client.PostAsync($"containers/{id}/start", cancellationToken);

    public Task StopContainerAsync(string id, int? timeoutSeconds, CancellationToken cancellationToken) =>
        _client.PostAsync($"containers/{id}/stop" + EngineClient.Query(("t", timeoutSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture))), cancellationToken);

    public Task RestartContainerAsync(string id, int? timeoutSeconds, CancellationToken cancellationToken) =>
        _client.PostAsync($"containers/{id}/restart" + EngineClient.Query(("t", timeoutSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture))), cancellationToken);

    public Task KillContainerAsync(string id, string? signal, CancellationToken cancellationToken) =>
        _client.PostAsync($"containers/{id}/kill" + EngineClient.Query(("signal", signal)), cancellationToken);

    public Task PauseContainerAsync(string id, CancellationToken cancellationToken) => _client.PostAsync($"containers/{id}/pause", cancellationToken);

    public Task UnpauseContainerAsync(string id, CancellationToken cancellationToken) => _client.PostAsync($"containers/{id}/unpause", cancellationToken);

    public Task RemoveContainerAsync(string id, bool force, bool removeVolumes, CancellationToken cancellationToken) =>
        _client.DeleteAsync($"containers/{id}" + EngineClient.Query(("force", force ? "1" : null), ("v", removeVolumes ? "1" : null)), cancellationToken);

    public Task RenameContainerAsync(string id, string newName, CancellationToken cancellationToken) =>
        _client.PostAsync($"containers/{id}/rename" + EngineClient.Query(("name", newName)), cancellationToken);

    public async Task CopyToContainerAsync(string id, string path, byte[] tar, bool copyUidGid, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(tar);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-tar");
        using var response = await _client.Containers.PutArchiveAsync(id, path, content, copyUidGid, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> WaitContainerAsync(string id, CancellationToken cancellationToken)
    {
        var result = await _client.PostAsync($"containers/{id}/wait", ApiJsonContext.Default.ContainerWaitResponse, cancellationToken).ConfigureAwait(false);
        return result.StatusCode;
    }

    public Task<ContainerTopResponse> TopAsync(string id, CancellationToken cancellationToken) =>
        _client.GetJsonAsync($"containers/{id}/top", ApiJsonContext.Default.ContainerTopResponse, cancellationToken);

    public async Task LogsAsync(string id, bool follow, string? tail, bool timestamps, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        var inspect = await InspectContainerAsync(id, cancellationToken).ConfigureAwait(false);
        var query = EngineClient.Query(("stdout", "1"), ("stderr", "1"), ("follow", follow ? "1" : null), ("tail", tail), ("timestamps", timestamps ? "1" : null));
        using var response = await _client.SendAsync(HttpMethod.Get, $"containers/{id}/logs{query}", null, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            if (inspect.Config.Tty)
            {
                await body.CopyToAsync(stdout, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await StdCopy.DemultiplexAsync(body, stdout, stderr, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task<Task> AttachAsync(string id, bool tty, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        var stream = await _client.HijackAsync($"containers/{id}/attach?stream=1&stdout=1&stderr=1", cancellationToken: cancellationToken).ConfigureAwait(false);
        return Task.Run(async () =>
        {
            await using (stream.ConfigureAwait(false))
            {
                if (tty)
                {
                    await stream.CopyToAsync(stdout, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await StdCopy.DemultiplexAsync(stream, stdout, stderr, cancellationToken).ConfigureAwait(false);
                }
            }
        }, cancellationToken);
    }

    public async Task<int> ExecAsync(string id, ExecConfig config, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var created = await _client.PostJsonAsync($"containers/{id}/exec", config, ApiJsonContext.Default.ExecConfig, ApiJsonContext.Default.IdResponse, cancellationToken).ConfigureAwait(false);
        var body = JsonSerializer.SerializeToUtf8Bytes(new ExecStartConfig { Tty = config.Tty }, ApiJsonContext.Default.ExecStartConfig);
        var stream = await _client.HijackAsync($"exec/{created.Id}/start", body, "application/json", cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            stream.CloseWrite();
            if (config.Tty)
            {
                await stream.CopyToAsync(stdout, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await StdCopy.DemultiplexAsync(stream, stdout, stderr, cancellationToken).ConfigureAwait(false);
            }
        }

        var inspect = await _client.GetJsonAsync($"exec/{created.Id}/json", ApiJsonContext.Default.ExecInspect, cancellationToken).ConfigureAwait(false);
        return inspect.ExitCode ?? 0;
    }

    public async Task<IReadOnlyList<NetworkResource>> ListNetworksAsync(IEnumerable<string> labelFilters, CancellationToken cancellationToken) =>
        await _client.GetJsonAsync("networks" + EngineClient.Query(("filters", LabelFilters(labelFilters))), NetworkApiJsonContext.Default.ListNetworkResource, cancellationToken).ConfigureAwait(false);

    public async Task<NetworkResource?> FindNetworkAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetJsonAsync($"networks/{Uri.EscapeDataString(name)}", NetworkApiJsonContext.Default.NetworkResource, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineApiException ex) when (ex.StatusCode == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<string> CreateNetworkAsync(NetworkCreateRequest request, CancellationToken cancellationToken)
    {
        var created = await _client.PostJsonAsync("networks/create", request, NetworkApiJsonContext.Default.NetworkCreateRequest, NetworkApiJsonContext.Default.NetworkCreateResponse, cancellationToken).ConfigureAwait(false);
        return created.Id;
    }

    public Task RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken) => _client.DeleteAsync($"networks/{Uri.EscapeDataString(idOrName)}", cancellationToken);

    public async Task ConnectNetworkAsync(string network, string containerId, EndpointSettings endpoint, CancellationToken cancellationToken)
    {
        using var content = EngineClient.JsonContent(new NetworkConnectRequest { Container = containerId, EndpointConfig = endpoint }, NetworkApiJsonContext.Default.NetworkConnectRequest);
        using var response = await _client.SendAsync(HttpMethod.Post, $"networks/{Uri.EscapeDataString(network)}/connect", content, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Volume>> ListVolumesAsync(IEnumerable<string> labelFilters, CancellationToken cancellationToken)
    {
        var list = await _client.GetJsonAsync("volumes" + EngineClient.Query(("filters", LabelFilters(labelFilters))), StorageJsonContext.Default.VolumeListResponse, cancellationToken).ConfigureAwait(false);
        return list.Volumes;
    }

    public async Task<Volume?> FindVolumeAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetJsonAsync($"volumes/{Uri.EscapeDataString(name)}", StorageJsonContext.Default.Volume, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineApiException ex) when (ex.StatusCode == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task CreateVolumeAsync(VolumeCreateRequest request, CancellationToken cancellationToken) =>
        await _client.PostJsonAsync("volumes/create", request, StorageJsonContext.Default.VolumeCreateRequest, StorageJsonContext.Default.Volume, cancellationToken).ConfigureAwait(false);

    public Task RemoveVolumeAsync(string name, bool force, CancellationToken cancellationToken) =>
        _client.DeleteAsync($"volumes/{Uri.EscapeDataString(name)}" + EngineClient.Query(("force", force ? "1" : null)), cancellationToken);

    public async Task<ImageInspect?> FindImageAsync(string reference, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetJsonAsync($"images/{reference}/json", ApiJsonContext.Default.ImageInspect, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineApiException ex) when (ex.StatusCode == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task RemoveImageAsync(string reference, CancellationToken cancellationToken) =>
        await _client.DeleteAsync($"images/{reference}", ApiJsonContext.Default.ListImageDeleteResponseItem, cancellationToken).ConfigureAwait(false);

    public async Task PullImageAsync(string reference, Action<string> progress, CancellationToken cancellationToken)
    {
        var (image, tag) = SplitTag(reference);
        using var response = await _client.SendAsync(HttpMethod.Post, "images/create" + EngineClient.Query(("fromImage", image), ("tag", tag)), null, cancellationToken).ConfigureAwait(false);
        await ReadProgressAsync(response, progress, cancellationToken).ConfigureAwait(false);
    }

    public async Task PushImageAsync(string reference, Action<string> progress, CancellationToken cancellationToken)
    {
        var (image, tag) = SplitTag(reference);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"images/{image}/push" + EngineClient.Query(("tag", tag)));
        // An empty auth header: anonymous push, as docker sends when no credentials are stored.
        request.Headers.Add("X-Registry-Auth", Convert.ToBase64String("{}"u8.ToArray()));
        using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await ReadProgressAsync(response, progress, cancellationToken).ConfigureAwait(false);
    }

    public async Task BuildImageAsync(Stream contextTar, string tag, string? dockerfile, IReadOnlyDictionary<string, string?> buildArgs, string? target, IReadOnlyDictionary<string, string> labels, Action<string> progress, CancellationToken cancellationToken)
    {
        var query = EngineClient.Query(("t", tag), ("dockerfile", dockerfile), ("target", target),
            ("buildargs", buildArgs.Count == 0 ? null : JsonObject(buildArgs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)))),
            ("labels", labels.Count == 0 ? null : JsonObject(labels.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)))));
        using var content = new StreamContent(contextTar);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-tar");
        using var response = await _client.SendAsync(HttpMethod.Post, "build" + query, content, cancellationToken).ConfigureAwait(false);
        await ReadProgressAsync(response, progress, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<EventMessage> EventsAsync(IEnumerable<string> labelFilters, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await _client.SendAsync(HttpMethod.Get, "events" + EngineClient.Query(("filters", LabelFilters(labelFilters))), null, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var message = JsonSerializer.Deserialize(line, ApiJsonContext.Default.EventMessage);
            if (message is not null)
            {
                yield return message;
            }
        }
    }

    private static async Task ReadProgressAsync(HttpResponseMessage response, Action<string> progress, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var message = JsonSerializer.Deserialize(line, ApiJsonContext.Default.JsonMessage);
            if (message?.Error is { Length: > 0 } error)
            {
                throw new EngineApiException(500, error);
            }

            var text = message?.Stream ?? message?.Status;
            if (!string.IsNullOrWhiteSpace(text))
            {
                progress(text.TrimEnd('\n'));
            }
        }
    }

    private static (string Image, string? Tag) SplitTag(string reference)
    {
        var slash = reference.LastIndexOf('/');
        var colon = reference.LastIndexOf(':');
        return colon > slash && !reference.Contains('@', StringComparison.Ordinal) ? (reference[..colon], reference[(colon + 1)..]) : (reference, null);
    }

    /// <summary>{"label":["a=b",...]} written by hand: AOT-safe without another JSON context.</summary>
    internal static string? LabelFilters(IEnumerable<string> labels)
    {
        var list = labels.ToList();
        if (list.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("label");
            foreach (var label in list)
            {
                writer.WriteStringValue(label);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string JsonObject(IEnumerable<KeyValuePair<string, string?>> pairs)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (k, v) in pairs)
            {
                writer.WriteString(k, v);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
