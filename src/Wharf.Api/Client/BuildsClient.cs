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
        pairs.Add(("squash", options.Squash ? "1" : null));
        pairs.Add(("pull", options.Pull ? "1" : null));
        pairs.Add(("q", options.Quiet ? "1" : null));
        pairs.Add(("rm", options.Remove ? "1" : "0"));
        pairs.Add(("forcerm", options.ForceRemove ? "1" : null));
        pairs.Add(("networkmode", options.NetworkMode));
        pairs.Add(("platform", options.Platform));
        pairs.AddRange(options.ExtraHosts.Select(h => ("extrahosts", (string?)h)));
        pairs.Add(("memory", Number(options.Memory)));
        pairs.Add(("memswap", Number(options.MemorySwap)));
        pairs.Add(("cpushares", Number(options.CpuShares)));
        pairs.Add(("cpuperiod", Number(options.CpuPeriod)));
        pairs.Add(("cpuquota", Number(options.CpuQuota)));
        pairs.Add(("cpusetcpus", string.IsNullOrEmpty(options.CpusetCpus) ? null : options.CpusetCpus));
        pairs.Add(("cpusetmems", string.IsNullOrEmpty(options.CpusetMems) ? null : options.CpusetMems));
        pairs.Add(("shmsize", Number(options.ShmSize)));
        pairs.Add(("cgroupparent", string.IsNullOrEmpty(options.CgroupParent) ? null : options.CgroupParent));
        pairs.Add(("isolation", string.IsNullOrEmpty(options.Isolation) ? null : options.Isolation));
        if (options.Ulimits.Count > 0)
        {
            pairs.Add(("ulimits", JsonSerializer.Serialize(options.Ulimits.ToList(), ApiJsonContext.Default.ListUlimit)));
        }

        if (options.CacheFrom.Count > 0)
        {
            pairs.Add(("cachefrom", JsonSerializer.Serialize(options.CacheFrom.ToList(), ApiJsonContext.Default.ListString)));
        }

        pairs.AddRange(options.SecurityOpt.Select(o => ("securityopt", (string?)o)));
        var request = new HttpRequestMessage(HttpMethod.Post, "build" + EngineClient.Query([.. pairs]))
        {
            Content = ImagesClient.TarContent(contextTar),
        };
        return _client.SendAsync(request, cancellationToken);
    }

    /// <summary>POST /build/prune; the answer's raw JSON (CachesDeleted, SpaceReclaimed). <paramref name="keepStorage"/>:
    /// bytes of cache to keep (docker CLI 28's --keep-storage, sent as "keep-storage"; 0 leaves it out).</summary>
    public Task<JsonElement> PruneAsync(bool all = false, string? filters = null, long keepStorage = 0, CancellationToken cancellationToken = default) =>
        _client.PostAsync(
            "build/prune" + EngineClient.Query(("all", all ? "1" : null), ("filters", filters), ("keep-storage", Number(keepStorage))),
            ApiJsonContext.Default.JsonElement,
            cancellationToken);

    private static string? Number(long value) => value == 0 ? null : value.ToString(global::System.Globalization.CultureInfo.InvariantCulture);
}
