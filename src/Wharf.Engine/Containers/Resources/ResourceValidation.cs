using System.Globalization;
using Wharf.Core.Errors;
using Wharf.Engine.Containers.Spec;

namespace Wharf.Engine.Containers.Resources;

/// <summary>Docker's checks of the resource settings, with Docker's words (clients and users match on them).
/// Create and update share the limit checks; ulimits exist only at create.</summary>
public static class ResourceValidation
{
    public const long MinimumMemory = 6 * 1024 * 1024;
    private const long MinimumCfs = 1000;
    private const long MaximumCfsPeriod = 1_000_000;

    /// <summary>Validates and normalises a new container's settings the way Docker's daemon does: a memory limit
    /// without a swap limit gets swap = 2 x memory (inspect shows it). Returns Docker's warnings.</summary>
    public static List<string> ValidateCreate(HostSettings host, IReadOnlyDictionary<string, ulong> hostHardLimits, int hostCpus)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(hostHardLimits);
        if (host.Memory == 0 && host.MemorySwap > 0)
            throw EngineException.Invalid("You should always set the Memory limit when using Memoryswap limit, see usage");
        var warnings = ValidateLimits(host, hostCpus);
        if (host.Memory > 0 && host.MemorySwap == 0) host.MemorySwap = host.Memory * 2;
        ValidateUlimits(host.Ulimits, hostHardLimits);
        if (host.OomScoreAdj is < -1000 or > 1000)
            throw EngineException.Invalid($"Invalid value {host.OomScoreAdj}, range for oom score adj is [-1000, 1000]");
        return warnings;
    }

    /// <summary>Limits shared by create and update.</summary>
    public static List<string> ValidateLimits(HostSettings host, int hostCpus)
    {
        ArgumentNullException.ThrowIfNull(host);
        var warnings = new List<string>();
        if (host.Memory < 0 || (host.Memory > 0 && host.Memory < MinimumMemory))
            throw EngineException.Invalid("Minimum memory limit allowed is 6MB");
        if (host.Memory > 0 && host.MemorySwap > 0 && host.MemorySwap < host.Memory)
            throw EngineException.Invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        if (host.MemoryReservation < 0 || (host.MemoryReservation > 0 && host.MemoryReservation < MinimumMemory))
            throw EngineException.Invalid("Minimum memory reservation allowed is 6MB");
        if (host.Memory > 0 && host.MemoryReservation > 0 && host.Memory < host.MemoryReservation)
            throw EngineException.Invalid("Minimum memory limit can not be less than memory reservation limit, see usage");
        if (host.MemorySwappiness is { } swappiness && swappiness != -1 && swappiness is < 0 or > 100)
            throw EngineException.Invalid($"Invalid value: {swappiness}, valid memory swappiness range is 0-100");
        if (host.OomKillDisable && host.Memory == 0)
            warnings.Add("OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.");
        if (host.NanoCpus < 0 || host.NanoCpus > hostCpus * 1_000_000_000L)
            throw EngineException.Invalid($"Range of CPUs is from 0.01 to {hostCpus}.00, as there are only {hostCpus} CPUs available");
        if (host.NanoCpus > 0 && host.CpuPeriod > 0)
            throw EngineException.Invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        if (host.NanoCpus > 0 && host.CpuQuota > 0)
            throw EngineException.Invalid("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        if (host.CpuShares < 0)
            throw EngineException.Invalid($"invalid CPU shares ({host.CpuShares}): value must be a positive integer");
        if (host.CpuPeriod != 0 && (host.CpuPeriod < MinimumCfs || host.CpuPeriod > MaximumCfsPeriod))
            throw EngineException.Invalid("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        if (host.CpuQuota > 0 && host.CpuQuota < MinimumCfs)
            throw EngineException.Invalid("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        ValidateCpuset(host.CpusetCpus, "cpus", hostCpus);
        ValidateCpuset(host.CpusetMems, "mems", null);
        if (host.BlkioWeight > 0 && host.BlkioWeight is < 10 or > 1000)
            throw EngineException.Invalid("Range of blkio weight is from 10 to 1000");
        return warnings;
    }

    /// <summary>--cpu-rt-period / --cpu-rt-runtime, checked as Docker's runconfig checks them: the kernel must have the
    /// real-time group scheduler (cpu.rt_runtime_us, cgroup v1 only), and the runtime may not exceed the period.</summary>
    public static void ValidateRealtime(HostSettings host, bool realtimeSupported)
    {
        ArgumentNullException.ThrowIfNull(host);
        if ((host.CpuRealtimePeriod != 0 || host.CpuRealtimeRuntime != 0) && !realtimeSupported)
            throw EngineException.Invalid("Your kernel does not support CPU real-time scheduler");
        if (host.CpuRealtimePeriod != 0 && host.CpuRealtimeRuntime != 0 && host.CpuRealtimeRuntime > host.CpuRealtimePeriod)
            throw EngineException.Invalid("cpu-rt-runtime cannot be higher than cpu-rt-period");
    }

    /// <summary>--annotation: Docker refuses an empty key.</summary>
    public static void ValidateAnnotations(IReadOnlyDictionary<string, string> annotations)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        if (annotations.ContainsKey(""))
            throw EngineException.Invalid("invalid Annotations: the empty string is not permitted as an annotation key");
    }

    /// <summary>Docker's cpuset syntax: "0-3", "0,1", "0-2,4". CPUs must exist on the host.</summary>
    public static void ValidateCpuset(string value, string what, int? available)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0) return;
        var ids = new List<int>();
        foreach (var part in value.Split(','))
        {
            var range = part.Split('-');
            if (range.Length > 2 || !TryParseId(range[0], out var low) || !TryParseId(range[^1], out var high) || high < low)
                throw EngineException.Invalid($"Invalid value {value} for cpuset {what}");
            for (var i = low; i <= high; i++) ids.Add(i);
        }
        if (available is { } count && ids.Any(i => i >= count))
            throw EngineException.Invalid($"Requested CPUs are not available - requested {value}, available: {(count == 1 ? "0" : "0-" + (count - 1).ToString(CultureInfo.InvariantCulture))}");
    }

    /// <summary>Known names, soft &lt;= hard, and no hard limit above the daemon's own: raising one needs
    /// CAP_SYS_RESOURCE, which this kind of host does not grant, and runc would fail late with a vaguer error.</summary>
    public static void ValidateUlimits(IReadOnlyList<UlimitSetting> ulimits, IReadOnlyDictionary<string, ulong> hostHardLimits)
    {
        ArgumentNullException.ThrowIfNull(ulimits);
        ArgumentNullException.ThrowIfNull(hostHardLimits);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var u in ulimits)
        {
            if (!ResourceSpec.RlimitNames.ContainsKey(u.Name))
                throw EngineException.Invalid($"invalid ulimit type: {u.Name}");
            if (!seen.Add(u.Name))
                throw EngineException.Invalid($"invalid ulimit: {u.Name} is given more than once");
            var soft = ResourceSpec.ToRlimit(u.Soft);
            var hard = ResourceSpec.ToRlimit(u.Hard);
            if (soft > hard)
                throw EngineException.Invalid($"ulimit soft limit must be less than or equal to hard limit: {u.Soft} > {u.Hard}");
            if (hostHardLimits.TryGetValue(u.Name, out var hostHard) && hard > hostHard)
                throw EngineException.Invalid($"invalid ulimit {u.Name}: hard limit {Text(hard)} exceeds the host's hard limit {Text(hostHard)}");
        }
    }

    private static string Text(ulong limit) => limit == ulong.MaxValue ? "unlimited" : limit.ToString(CultureInfo.InvariantCulture);

    private static bool TryParseId(string text, out int id) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);
}
