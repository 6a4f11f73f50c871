namespace Wharf.Api.Client;

/// <summary>Query of POST /build (the legacy builder's parameters, as the docker CLI sends them).</summary>
public sealed record ImageBuildOptions
{
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Path of the Dockerfile inside the context tar.</summary>
    public string? Dockerfile { get; init; }

    /// <summary>Build args: a null value means "take it from the environment of the build" (docker sends null).</summary>
    public IReadOnlyDictionary<string, string?> BuildArgs { get; init; } = new Dictionary<string, string?>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string? Target { get; init; }

    public bool NoCache { get; init; }
    /// <summary>--squash: the new layers become one (the daemon must be in experimental mode).</summary>
    public bool Squash { get; init; }

    public bool Pull { get; init; }

    public bool Quiet { get; init; }

    public bool Remove { get; init; } = true;

    public bool ForceRemove { get; init; }

    public string? NetworkMode { get; init; }

    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

    public string? Platform { get; init; }

    /// <summary>Resource limits of the RUN containers (memory, memswap, cpushares, cpuperiod, cpuquota, cpusetcpus,
    /// cpusetmems, shmsize, ulimits, cgroupparent); zero or empty is left out, which the daemon reads as "no limit".</summary>
    public long Memory { get; init; }

    public long MemorySwap { get; init; }

    public long CpuShares { get; init; }

    public long CpuPeriod { get; init; }

    public long CpuQuota { get; init; }

    public string? CpusetCpus { get; init; }

    public string? CpusetMems { get; init; }

    public long ShmSize { get; init; }

    public IReadOnlyList<Containers.Ulimit> Ulimits { get; init; } = [];

    public string? CgroupParent { get; init; }

    public IReadOnlyList<string> SecurityOpt { get; init; } = [];

    /// <summary>Images whose steps count as cache (sent as a JSON list, "cachefrom").</summary>
    public IReadOnlyList<string> CacheFrom { get; init; } = [];

    public string? Isolation { get; init; }
}
