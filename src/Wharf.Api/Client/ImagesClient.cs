using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Wharf.Api.Images;

namespace Wharf.Api.Client;

/// <summary>The /images endpoints. Streaming calls (pull, push, import, load, save) return the response once its
/// headers arrived; the caller reads the JSON-message or tar body and disposes it.</summary>
public sealed class ImagesClient
{
    private const string RegistryAuthHeader = "X-Registry-Auth";

    private readonly EngineClient _client;

    internal ImagesClient(EngineClient client) => _client = client;

    public Task<List<ImageSummary>> ListAsync(bool all = false, string? filters = null, CancellationToken cancellationToken = default) =>
        _client.GetJsonAsync("images/json" + EngineClient.Query(("all", all ? "1" : null), ("filters", filters)), ApiJsonContext.Default.ListImageSummary, cancellationToken);

    public Task<ImageInspect> InspectAsync(string name, CancellationToken cancellationToken = default) =>
        _client.GetJsonAsync($"images/{name}/json", ApiJsonContext.Default.ImageInspect, cancellationToken);

    public Task<JsonElement> InspectRawAsync(string name, CancellationToken cancellationToken = default) =>
        _client.GetRawJsonAsync($"images/{name}/json", cancellationToken);

    public Task<List<ImageHistoryItem>> HistoryAsync(string name, CancellationToken cancellationToken = default) =>
        _client.GetJsonAsync($"images/{name}/history", ApiJsonContext.Default.ListImageHistoryItem, cancellationToken);

    public Task<HttpStatusCode> TagAsync(string source, string repository, string? tag, CancellationToken cancellationToken = default) =>
        _client.PostAsync($"images/{source}/tag" + EngineClient.Query(("repo", repository), ("tag", tag)), cancellationToken);

    public Task<List<ImageDeleteResponseItem>> RemoveAsync(string name, bool force = false, bool noPrune = false, CancellationToken cancellationToken = default) =>
        _client.DeleteAsync($"images/{name}" + EngineClient.Query(("force", force ? "1" : null), ("noprune", noPrune ? "1" : null)),
            ApiJsonContext.Default.ListImageDeleteResponseItem, cancellationToken);

    public Task<ImagePruneResponse> PruneAsync(string? filters = null, CancellationToken cancellationToken = default) =>
        _client.PostAsync("images/prune" + EngineClient.Query(("filters", filters)), ApiJsonContext.Default.ImagePruneResponse, cancellationToken);

    /// <summary>POST /images/create?fromImage=: a pull. A null <paramref name="tag"/> pulls every tag.</summary>
    public Task<HttpResponseMessage> PullAsync(string repository, string? tag, string? platform, string registryAuth, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "images/create" + EngineClient.Query(("fromImage", repository), ("tag", tag), ("platform", platform)));
        request.Headers.TryAddWithoutValidation(RegistryAuthHeader, registryAuth);
        return SendOwnedAsync(request, cancellationToken);
    }

    /// <summary>POST /images/create?fromSrc=: an import, from <paramref name="tarball"/> (fromSrc "-") or from a URL.</summary>
    public Task<HttpResponseMessage> ImportAsync(ImageImportOptions options, Stream? tarball, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<(string, string?)> pairs =
        [
            ("fromSrc", tarball is null ? options.SourceUrl : "-"),
            ("message", options.Message),
            ("platform", options.Platform),
            ("repo", options.Repository),
        ];
        pairs.AddRange(options.Changes.Select(c => ("changes", (string?)c)));
        var request = new HttpRequestMessage(HttpMethod.Post, "images/create" + EngineClient.Query([.. pairs]));
        if (tarball is not null)
        {
            request.Content = TarContent(tarball);
        }

        return SendOwnedAsync(request, cancellationToken);
    }

    public Task<HttpResponseMessage> PushAsync(string name, string tag, string registryAuth, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"images/{name}/push" + EngineClient.Query(("tag", tag)));
        request.Headers.TryAddWithoutValidation(RegistryAuthHeader, registryAuth);
        return SendOwnedAsync(request, cancellationToken);
    }

    /// <summary>GET /images/get: a docker-archive tar of the named images.</summary>
    public Task<HttpResponseMessage> SaveAsync(IEnumerable<string> names, CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Get, "images/get" + EngineClient.Query([.. names.Select(n => ("names", (string?)n))]), null, cancellationToken);

    public Task<HttpResponseMessage> LoadAsync(Stream archive, bool quiet, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "images/load" + EngineClient.Query(("quiet", quiet ? "1" : "0")))
        {
            Content = TarContent(archive),
        };
        return SendOwnedAsync(request, cancellationToken);
    }

    internal static StreamContent TarContent(Stream tarball)
    {
        var content = new StreamContent(tarball, 64 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        return content;
    }

    // The request is not disposed here: its content may be a stream the daemon is still reading while the caller
    // reads the answer; the caller owns (and disposes) that stream.
    private Task<HttpResponseMessage> SendOwnedAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _client.SendAsync(request, cancellationToken);
}
