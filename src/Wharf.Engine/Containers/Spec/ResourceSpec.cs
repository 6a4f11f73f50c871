using Wharf.Core.Oci;

namespace Wharf.Engine.Containers.Spec;

/// <summary>The resource steps beyond <see cref="SpecBuilder.WithResources"/>: swappiness, the OOM killer switch,
/// cpuset mems, the CPU real-time period and runtime, blkio weight, ulimits, the OOM score and annotations. Pure <c>RuntimeSpec -&gt; RuntimeSpec</c> steps like
/// the builder's own.</summary>
public static class ResourceSpec
{
    /// <summary>Docker's --ulimit names and the kernel's RLIMIT_ constants they stand for.</summary>
    public static IReadOnlyDictionary<string, string> RlimitNames { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["as"] = "RLIMIT_AS", ["core"] = "RLIMIT_CORE", ["cpu"] = "RLIMIT_CPU", ["data"] = "RLIMIT_DATA",
        ["fsize"] = "RLIMIT_FSIZE", ["locks"] = "RLIMIT_LOCKS", ["memlock"] = "RLIMIT_MEMLOCK", ["msgqueue"] = "RLIMIT_MSGQUEUE",
        ["nice"] = "RLIMIT_NICE", ["nofile"] = "RLIMIT_NOFILE", ["nproc"] = "RLIMIT_NPROC", ["rss"] = "RLIMIT_RSS",
        ["rtprio"] = "RLIMIT_RTPRIO", ["rttime"] = "RLIMIT_RTTIME", ["sigpending"] = "RLIMIT_SIGPENDING", ["stack"] = "RLIMIT_STACK",
    };

    /// <summary>Everything of this class at once, for <see cref="SpecBuilder.Build"/>.</summary>
    public static RuntimeSpec WithResourceExtras(this RuntimeSpec s, HostSettings host)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(host);
        return s.WithLimitExtras(host).WithUlimits(host.Ulimits).WithOomScoreAdj(host.OomScoreAdj);
    }

    /// <summary>Memory swappiness and the OOM-killer switch, cpuset mems and the blkio weight, merged into
    /// whatever memory/cpu blocks the builder already made.</summary>
    public static RuntimeSpec WithLimitExtras(this RuntimeSpec s, HostSettings host)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(host);
        var resources = s.Linux.Resources ?? new SpecResources();
        var memory = resources.Memory;
        if (host.MemorySwappiness is >= 0 and <= 100 || host.OomKillDisable)
        {
            memory = (memory ?? new SpecMemory()) with
            {
                Swappiness = host.MemorySwappiness is >= 0 and <= 100 ? (ulong)host.MemorySwappiness.Value : null,
                DisableOomKiller = host.OomKillDisable ? true : null,
            };
        }

        var cpu = resources.Cpu;
        if (host.CpusetMems.Length > 0) cpu = (cpu ?? new SpecCpu()) with { Mems = host.CpusetMems };
        if (host.CpuRealtimePeriod > 0 || host.CpuRealtimeRuntime != 0)
        {
            cpu = (cpu ?? new SpecCpu()) with
            {
                RealtimePeriod = host.CpuRealtimePeriod > 0 ? (ulong)host.CpuRealtimePeriod : null,
                RealtimeRuntime = host.CpuRealtimeRuntime != 0 ? host.CpuRealtimeRuntime : null,
            };
        }
        var blockIo = host.BlkioWeight > 0 ? (resources.BlockIo ?? new SpecBlockIo()) with { Weight = (ushort)host.BlkioWeight } : resources.BlockIo;
        return s with { Linux = s.Linux with { Resources = resources with { Memory = memory, Cpu = cpu, BlockIo = blockIo } } };
    }

    /// <summary>--annotation: the container's annotations go to the runtime as they are (Docker's WithAnnotations).</summary>
    public static RuntimeSpec WithAnnotations(this RuntimeSpec s, IReadOnlyDictionary<string, string> annotations)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(annotations);
        if (annotations.Count == 0) return s;
        var merged = new Dictionary<string, string>(s.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in annotations) merged[key] = value;
        return s with { Annotations = merged };
    }

    /// <summary>Each ulimit replaces the rlimit of the same type (e.g. the default RLIMIT_NOFILE); a negative value
    /// means unlimited (RLIM_INFINITY).</summary>
    public static RuntimeSpec WithUlimits(this RuntimeSpec s, IReadOnlyList<UlimitSetting> ulimits)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(ulimits);
        if (ulimits.Count == 0) return s;
        var rlimits = new List<SpecRlimit>(s.Process.Rlimits ?? []);
        foreach (var u in ulimits)
        {
            var type = RlimitNames.TryGetValue(u.Name, out var t) ? t : "RLIMIT_" + u.Name.ToUpperInvariant();
            rlimits.RemoveAll(r => r.Type == type);
            rlimits.Add(new SpecRlimit(type, ToRlimit(u.Hard), ToRlimit(u.Soft)));
        }
        return s with { Process = s.Process with { Rlimits = rlimits } };
    }

    /// <summary>0 leaves the score the container inherits, so runc need not write it.</summary>
    public static RuntimeSpec WithOomScoreAdj(this RuntimeSpec s, int oomScoreAdj)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s with { Process = s.Process with { OomScoreAdj = oomScoreAdj != 0 ? oomScoreAdj : null } };
    }

    /// <summary>Only the cgroup part a live update can change (runc update ignores devices), computed from the
    /// settings exactly as at start.</summary>
    public static SpecResources UpdatableResources(HostSettings host, bool swapLimitSupported)
    {
        ArgumentNullException.ThrowIfNull(host);
        var spec = SpecBuilder.NewSpec("/", ["/bin/true"]).WithResources(host, swapLimitSupported).WithLimitExtras(host);
        var resources = spec.Linux.Resources ?? new SpecResources();
        // An unset pids limit must lift a previous one: runc writes "max" for a negative limit.
        return resources with { Devices = [], Pids = resources.Pids ?? new SpecPids(-1) };
    }

    public static ulong ToRlimit(long value) => value < 0 ? ulong.MaxValue : (ulong)value;
}
