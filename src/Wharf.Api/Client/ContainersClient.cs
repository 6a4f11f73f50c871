using System.Globalization;
using System.Net;
using System.Text.Json;
using Wharf.Api.Containers;
using Wharf.Api.ImageStore;
using Wharf.Api.Resources;

namespace Wharf.Api.Client;

/// <summary>The /containers endpoints (and /commit, which acts on a container), as docker's Go client groups them.</summary>
public sealed class ContainersClient
{
    private readonly EngineClient _client;

    internal ContainersClient(EngineClient client) => _client = client;

    public Task<List<ContainerSummary>> ListAsync(bool all = false, int? limit = null, bool size = false, string? filters = null, CancellationToken cancellationToken = default) =>
        _client.GetJsonAsync("containers/json" + EngineClient.Query(
            ("all", all ? "1" : null),
            ("limit", limit is > 0 ? limit.Value.ToString(CultureInfo.InvariantCulture) : null),
            ("size", size ? "1" : null),
            ("filters", filters)), ApiJsonContext.Default.ListContainerSummary, cancellationToken);

    public Task<ContainerInspect> InspectAsync(string id, CancellationToken cancellationToken = default) =>
        _client.GetJsonAsync($"containers/{id}/json", ApiJsonContext.Default.ContainerInspect, cancellationToken);

    /// <summary>The inspect document exactly as the daemon sent it (inspect and --format print fields we do not model).</summary>
    public Task<JsonElement> InspectRawAsync(string id, bool size = false, CancellationToken cancellationToken = default) =>
        _client.GetRawJsonAsync($"containers/{id}/json" + (size ? "?size=1" : ""), cancellationToken);

    public Task<ContainerCreateResponse> CreateAsync(ContainerCreateRequest request, string? name = null, string? platform = null, CancellationToken cancellationToken = default) =>
        _client.PostJsonAsync("containers/create" + EngineClient.Query(("name", name), ("platform", platform)),
            request, ApiJsonContext.Default.ContainerCreateRequest, ApiJsonContext.Default.ContainerCreateResponse, cancellationToken);

    /// <summary>204 started, 304 already running.</summary>
    public Task<HttpStatusCode> StartAsync(string id, CancellationToken cancellationToken = default) =>
        _client.PostAsync($"containers/{id}/start", cancellationToken);

    public Task<HttpStatusCode> StopAsync(string id, string? signal = null, string? timeout = null, CancellationToken cancellationToken = default) =>
        _client.PostAsync($"containers/{id}/stop" + EngineClient.Query(("signal", signal), ("t", timeout)), cancellationToken);

    public Task<HttpStatusCode> RestartAsync(string id, string? signal = null, string? timeout = null, CancellationToken cancellationToken = default) =>
        _client.PostAsync($"containers/{id}/restart" + EngineClient.Query(("signal", signal), ("t", timeout)), cancellationToken);

    public Task<HttpStatusCode> KillAsync(string id, string? signal = null, CancellationToken cancellationToken = default) =>
        _client.PostAsync($"containers/{id}/kill" + EngineClient.Query(("signal", signal)), cancellationToken);

    public Task<HttpStatusCode> RemoveAsync(string id, bool force = false, bool link = false, bool volumes = false, CancellationToken cancellationToken = default) =>
        _client.DeleteAsync($"containers/{id}" + EngineClient.Query(("force", force ? "1" : null), ("link", link ? "1" : null), ("v", volumes ? "1" : null)), cancellationToken);

    public Task<HttpStatusCode> PauseAsync(string id, CancellationToken cancellationToken = default) =>
        _client.PostAsync($"containers/{id}/pause", cancellationToken);

    public Task<HttpStatusCode> UnpauseAsync(string id, CancellationToken cancellationToken = default) =>
        _client.PostAsync($"containers/{id}/unpause", cancellationToken);

    public Task<HttpStatusCode> RenameAsync(string id, string newName, CancellationToken cancellationToken = default) =>
        _client.PostAsync($"containers/{id}/rename" + EngineClient.Query(("name", newName)), cancellationToken);

    /// <summary>Blocks until the container stops; returns its exit status.</summary>
    public Task<ContainerWaitResponse> WaitAsync(string id, CancellationToken cancellationToken = default) =>
        _client.PostAsync($"containers/{id}/wait", ApiJsonContext.Default.ContainerWaitResponse, cancellationToken);

    /// <summary>Starts a wait and returns once the daemon sent the headers (it is then registered, so a start that
    /// follows cannot miss the exit). The body is a <see cref="ContainerWaitResponse"/>; the caller disposes.</summary>
    public Task<HttpResponseMessage> BeginWaitAsync(string id, string condition, CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Post, $"containers/{id}/wait" + EngineClient.Query(("condition", condition)), null, cancellationToken);

    public Task<ContainerTopResponse> TopAsync(string id, string? psArgs = null, CancellationToken cancellationToken = default) =>
        _client.GetJsonAsync($"containers/{id}/top" + EngineClient.Query(("ps_args", psArgs)), ApiJsonContext.Default.ContainerTopResponse, cancellationToken);

    /// <summary>One stats sample (stream=0).</summary>
    public async Task<ContainerStatsResponse> StatsAsync(string id, CancellationToken cancellationToken = default)
    {
        // Through HttpClient, not the blocking quick GET: a sample comes only after the daemon's second reading, and
        // `stats` asks for every container's side by side.
        using var response = await _client.SendAsync(HttpMethod.Get, $"containers/{id}/stats?stream=0", null, cancellationToken).ConfigureAwait(false);
        return await EngineClient.ReadJsonAsync(response, ResourcesJsonContext.Default.ContainerStatsResponse, cancellationToken).ConfigureAwait(false);
    }

    public Task<ContainerUpdateResponse> UpdateAsync(string id, ContainerUpdateRequest request, CancellationToken cancellationToken = default) =>
        _client.PostJsonAsync($"containers/{id}/update", request, ResourcesJsonContext.Default.ContainerUpdateRequest, ResourcesJsonContext.Default.ContainerUpdateResponse, cancellationToken);

    public Task<List<FilesystemChange>> ChangesAsync(string id, CancellationToken cancellationToken = default) =>
        _client.GetJsonAsync($"containers/{id}/changes", ImageStoreJsonContext.Default.ListFilesystemChange, cancellationToken);

    /// <summary>The log stream (stdcopy-framed unless the container has a TTY); the caller disposes.</summary>
    public Task<HttpResponseMessage> LogsAsync(string id, ContainerLogsOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return _client.SendAsync(HttpMethod.Get, $"containers/{id}/logs" + EngineClient.Query(
            ("details", options.Details ? "1" : null),
            ("follow", options.Follow ? "1" : null),
            ("since", options.Since),
            ("stderr", options.Stderr ? "1" : null),
            ("stdout", options.Stdout ? "1" : null),
            ("tail", options.Tail),
            ("timestamps", options.Timestamps ? "1" : null),
            ("until", options.Until)), null, cancellationToken);
    }

    /// <summary>The container's filesystem as a tar stream; the caller disposes.</summary>
    public Task<HttpResponseMessage> ExportAsync(string id, CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Get, $"containers/{id}/export", null, cancellationToken);

    /// <summary>HEAD /archive: the path's stat travels in the X-Docker-Container-Path-Stat header.</summary>
    public Task<HttpResponseMessage> StatPathAsync(string id, string path, CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Head, $"containers/{id}/archive" + EngineClient.Query(("path", path)), null, cancellationToken);

    /// <summary>A tar of <paramref name="path"/>; the caller disposes.</summary>
    public Task<HttpResponseMessage> GetArchiveAsync(string id, string path, CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Get, $"containers/{id}/archive" + EngineClient.Query(("path", path)), null, cancellationToken);

    /// <summary>Extracts the tar in <paramref name="content"/> into <paramref name="path"/>.</summary>
    public Task<HttpResponseMessage> PutArchiveAsync(string id, string path, HttpContent content, bool copyUidGid = false, bool noOverwriteDirNonDir = false, CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Put, $"containers/{id}/archive" + EngineClient.Query(
            ("path", path), ("copyUIDGID", copyUidGid ? "true" : null), ("noOverwriteDirNonDir", noOverwriteDirNonDir ? "true" : null)), content, cancellationToken);

    /// <summary>Hijacks an attach connection (stream=1).</summary>
    public Task<HijackedStream> AttachAsync(string id, bool stdin, bool stdout, bool stderr, CancellationToken cancellationToken = default) =>
        _client.HijackAsync($"containers/{id}/attach" + EngineClient.Query(
            ("stderr", stderr ? "1" : null), ("stdin", stdin ? "1" : null), ("stdout", stdout ? "1" : null), ("stream", "1")), cancellationToken: cancellationToken);

    public Task<HttpStatusCode> ResizeAsync(string id, int height, int width, CancellationToken cancellationToken = default) =>
        _client.PostAsync(string.Create(CultureInfo.InvariantCulture, $"containers/{id}/resize?h={height}&w={width}"), cancellationToken);

    public Task<ContainerPruneResponse> PruneAsync(string? filters = null, CancellationToken cancellationToken = default) =>
        _client.PostAsync("containers/prune" + EngineClient.Query(("filters", filters)), ApiJsonContext.Default.ContainerPruneResponse, cancellationToken);

    /// <summary>POST /commit: a new image from the container's changes.</summary>
    public async Task<Common.IdResponse> CommitAsync(string id, ContainerCommitOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<(string, string?)> pairs =
        [
            ("container", id), ("repo", options.Repository), ("tag", options.Tag),
            ("comment", options.Message), ("author", options.Author), ("pause", options.Pause ? "1" : "0"),
        ];
        pairs.AddRange(options.Changes.Select(c => ("changes", (string?)c)));
        using var content = EngineClient.JsonContent(new Dictionary<string, string>(), ApiJsonContext.Default.DictionaryStringString);
        using var response = await _client.SendAsync(HttpMethod.Post, "commit" + EngineClient.Query([.. pairs]), content, cancellationToken).ConfigureAwait(false);
        return await EngineClient.ReadJsonAsync(response, ImageStoreJsonContext.Default.IdResponse, cancellationToken).ConfigureAwait(false);
    }
}
