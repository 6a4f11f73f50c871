namespace Wharf.Engine.Builder;

/// <summary>The legacy /build endpoint's parameters: Dockerfile path inside the context, tags (-t, several),
/// --build-arg values (null: take it from the daemon's environment... never: unset), --label, --target,
/// --no-cache and -q; for RUN containers --add-host (ExtraHosts, "name:ip") and --network (NetworkMode, empty: the
/// default bridge); --cache-from (CacheFrom: when given, only steps those images were built with count as cached);
/// the RUN containers' resource limits (Resources); --squash (Squash: the layers the build adds become one, an
/// experimental feature the endpoint gates).</summary>
public sealed record BuildOptions(
    string Dockerfile,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string?> BuildArgs,
    IReadOnlyDictionary<string, string> Labels,
    string? Target,
    bool NoCache,
    bool Quiet,
    IReadOnlyList<string>? ExtraHosts = null,
    string NetworkMode = "",
    IReadOnlyList<string>? CacheFrom = null,
    BuildResources? Resources = null,
    bool Squash = false);
