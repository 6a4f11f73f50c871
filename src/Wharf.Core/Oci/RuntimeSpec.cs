using System.Text.Json.Serialization;

namespace Wharf.Core.Oci;

// The subset of the OCI runtime spec (config.json) that Wharf writes. Names follow the spec exactly.

public sealed record RuntimeSpec
{
    [JsonPropertyName("ociVersion")] public string OciVersion { get; init; } = "1.0.2";
    [JsonPropertyName("process")] public required SpecProcess Process { get; init; }
    [JsonPropertyName("root")] public required SpecRoot Root { get; init; }
    [JsonPropertyName("hostname"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Hostname { get; init; }
    [JsonPropertyName("mounts")] public IReadOnlyList<SpecMount> Mounts { get; init; } = [];
    [JsonPropertyName("linux")] public required SpecLinux Linux { get; init; }
    [JsonPropertyName("annotations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}

public sealed record SpecProcess
{
    [JsonPropertyName("terminal")] public bool Terminal { get; init; }
    [JsonPropertyName("consoleSize"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SpecBox? ConsoleSize { get; init; }
    [JsonPropertyName("user")] public SpecUser User { get; init; } = new();
    [JsonPropertyName("args")] public required IReadOnlyList<string> Args { get; init; }
    [JsonPropertyName("env")] public IReadOnlyList<string> Env { get; init; } = [];
    [JsonPropertyName("cwd")] public string Cwd { get; init; } = "/";
    [JsonPropertyName("capabilities"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SpecCapabilities? Capabilities { get; init; }
    [JsonPropertyName("rlimits"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<SpecRlimit>? Rlimits { get; init; }
    [JsonPropertyName("noNewPrivileges")] public bool NoNewPrivileges { get; init; }
    [JsonPropertyName("oomScoreAdj"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? OomScoreAdj { get; init; }
}

public sealed record SpecBox([property: JsonPropertyName("height")] uint Height, [property: JsonPropertyName("width")] uint Width);

public sealed record SpecUser
{
    [JsonPropertyName("uid")] public uint Uid { get; init; }
    [JsonPropertyName("gid")] public uint Gid { get; init; }
    [JsonPropertyName("additionalGids"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<uint>? AdditionalGids { get; init; }
}

public sealed record SpecCapabilities
{
    [JsonPropertyName("bounding")] public IReadOnlyList<string> Bounding { get; init; } = [];
    [JsonPropertyName("effective")] public IReadOnlyList<string> Effective { get; init; } = [];
    [JsonPropertyName("permitted")] public IReadOnlyList<string> Permitted { get; init; } = [];
}

public sealed record SpecRlimit(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("hard")] ulong Hard,
    [property: JsonPropertyName("soft")] ulong Soft);

public sealed record SpecRoot
{
    [JsonPropertyName("path")] public required string Path { get; init; }
    [JsonPropertyName("readonly")] public bool Readonly { get; init; }
}

public sealed record SpecMount
{
    [JsonPropertyName("destination")] public required string Destination { get; init; }
    [JsonPropertyName("type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Type { get; init; }
    [JsonPropertyName("source"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Source { get; init; }
    [JsonPropertyName("options"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? Options { get; init; }
}

public sealed record SpecLinux
{
    [JsonPropertyName("namespaces")] public IReadOnlyList<SpecNamespace> Namespaces { get; init; } = [];
    [JsonPropertyName("cgroupsPath"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? CgroupsPath { get; init; }
    [JsonPropertyName("resources"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SpecResources? Resources { get; init; }
    [JsonPropertyName("maskedPaths")] public IReadOnlyList<string> MaskedPaths { get; init; } = [];
    [JsonPropertyName("readonlyPaths")] public IReadOnlyList<string> ReadonlyPaths { get; init; } = [];
    [JsonPropertyName("sysctl"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyDictionary<string, string>? Sysctl { get; init; }
    [JsonPropertyName("devices"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<SpecDevice>? Devices { get; init; }
    [JsonPropertyName("seccomp"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SpecSeccomp? Seccomp { get; init; }
    [JsonPropertyName("rootfsPropagation"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? RootfsPropagation { get; init; }
}

public sealed record SpecNamespace
{
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("path"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Path { get; init; }
}

public sealed record SpecResources
{
    [JsonPropertyName("devices")] public IReadOnlyList<SpecDeviceRule> Devices { get; init; } = [];
    [JsonPropertyName("memory"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SpecMemory? Memory { get; init; }
    [JsonPropertyName("cpu"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SpecCpu? Cpu { get; init; }
    [JsonPropertyName("pids"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SpecPids? Pids { get; init; }
    [JsonPropertyName("blockIO"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SpecBlockIo? BlockIo { get; init; }
}

public sealed record SpecBlockIo
{
    [JsonPropertyName("weight"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ushort? Weight { get; init; }
    [JsonPropertyName("weightDevice"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<SpecWeightDevice>? WeightDevice { get; init; }
    [JsonPropertyName("throttleReadBpsDevice"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<SpecThrottleDevice>? ThrottleReadBpsDevice { get; init; }
    [JsonPropertyName("throttleWriteBpsDevice"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<SpecThrottleDevice>? ThrottleWriteBpsDevice { get; init; }
    [JsonPropertyName("throttleReadIOPSDevice"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<SpecThrottleDevice>? ThrottleReadIopsDevice { get; init; }
    [JsonPropertyName("throttleWriteIOPSDevice"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<SpecThrottleDevice>? ThrottleWriteIopsDevice { get; init; }
}

/// <summary>A block device's own blkio weight (linux.resources.blockIO.weightDevice).</summary>
public sealed record SpecWeightDevice(
    [property: JsonPropertyName("major")] long Major,
    [property: JsonPropertyName("minor")] long Minor,
    [property: JsonPropertyName("weight")] ushort Weight);

/// <summary>A block device's rate limit, in bytes or IO operations per second.</summary>
public sealed record SpecThrottleDevice(
    [property: JsonPropertyName("major")] long Major,
    [property: JsonPropertyName("minor")] long Minor,
    [property: JsonPropertyName("rate")] ulong Rate);

public sealed record SpecDeviceRule
{
    [JsonPropertyName("allow")] public bool Allow { get; init; }
    [JsonPropertyName("type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Type { get; init; }
    [JsonPropertyName("major"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? Major { get; init; }
    [JsonPropertyName("minor"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? Minor { get; init; }
    [JsonPropertyName("access")] public string Access { get; init; } = "rwm";
}

public sealed record SpecMemory
{
    [JsonPropertyName("limit"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? Limit { get; init; }
    [JsonPropertyName("reservation"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? Reservation { get; init; }
    [JsonPropertyName("swap"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? Swap { get; init; }
    [JsonPropertyName("swappiness"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ulong? Swappiness { get; init; }
    [JsonPropertyName("disableOOMKiller"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? DisableOomKiller { get; init; }
}

public sealed record SpecCpu
{
    [JsonPropertyName("shares"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ulong? Shares { get; init; }
    [JsonPropertyName("quota"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? Quota { get; init; }
    [JsonPropertyName("period"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ulong? Period { get; init; }
    [JsonPropertyName("cpus"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Cpus { get; init; }
    [JsonPropertyName("mems"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Mems { get; init; }
    [JsonPropertyName("realtimeRuntime"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? RealtimeRuntime { get; init; }
    [JsonPropertyName("realtimePeriod"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ulong? RealtimePeriod { get; init; }
}

public sealed record SpecPids([property: JsonPropertyName("limit")] long Limit);
