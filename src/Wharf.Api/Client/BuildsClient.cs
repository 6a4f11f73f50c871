using System.Text.Json;

namespace Wharf.Api.Client;

/// <summary>POST /build (a tar of the build context in, a JSON message stream out) and the build cache.</summary>
public sealed class BuildsClient
{
    private readonly EngineClient _client;

    internal BuildsClient(EngineClient client) => _client = client;

    /// <summary>Sends the context tar; the answer is a JSON message stream the caller reads and disposes.</summary>
    public Task<HttpResponseMessage> BuildAsync(Stream contextTar, ImageBuildOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<(string, string?)> pairs = [.. options.Tags.Select(t => ("t", (string?)t))];
        pairs.Add(("dockerfile", options.Dockerfile));
        if (options.BuildArgs.Count > 0)
        {
            pairs.Add(("buildargs", JsonSerializer.Serialize(options.BuildArgs.ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal), ApiJsonContext.Default.DictionaryStringString)));
        }

        if (options.Labels.Count > 0)
        {
            pairs.Add(("labels", JsonSerializer.Serialize(options.Labels.ToDictionary(StringComparer.Ordinal), ApiJsonContext.Default.DictionaryStringString)));
        }

        pairs.Add(("target", options.Target));
        pairs.Add(("nocache", options.NoCache ? "1" : null));
        pairs.Add(("pull", options.Pull ? "1" : null));
        pairs.Add(("q", options.Quiet ? "1" : null));
        pairs.Add(("rm", options.Remove ? "1" : "0"));
        pairs.Add(("forcerm", options.ForceRemove ? "1" : null));
        pairs.Add(("networkmode", options.NetworkMode));
        pairs.Add(("platform", options.Platform));
        pairs.AddRange(options.ExtraHosts.Select(h => ("extrahosts", (string?)h)));
        var request = new HttpRequestMessage(HttpMethod.Post, "build" + EngineClient.Query([.. pairs]))
        {
            Content = ImagesClient.TarContent(contextTar),
        };
        return _client.SendAsync(request, cancellationToken);
    }

    /// <summary>POST /build/prune; the answer's raw JSON (CachesDeleted, SpaceReclaimed).</summary>
    public Task<JsonElement> PruneAsync(bool all = false, string? filters = null, CancellationToken cancellationToken = default) =>
        _client.PostAsync("build/prune" + EngineClient.Query(("all", all ? "1" : null), ("filters", filters)), ApiJsonContext.Default.JsonElement, cancellationToken);
}
