namespace Wharf.Engine.Containers.Spec;

/// <summary>Host-side facts the spec needs besides the container record and image config.</summary>
/// <param name="RootfsPath">Mounted rootfs; also where /etc/passwd and /etc/group are read for the user.</param>
/// <param name="NetworkNamespacePath">Null = a fresh network namespace (loopback only); a path = join that one.
/// Ignored for NetworkMode "host", which gets no network namespace entry at all.</param>
/// <param name="HostNofileHardLimit">The daemon's own RLIMIT_NOFILE hard limit: runc cannot raise above it.</param>
/// <param name="CgroupsPath">e.g. "/wharf/&lt;id&gt;".</param>
/// <param name="SwapLimitSupported">False when the kernel has no swap accounting; memory swap is then left out
/// (runc would fail writing memsw files), as Docker does.</param>
/// <param name="HostCapabilities">The host's capability bounding set; null = assume every capability. runc cannot
/// grant a capability outside it, so --privileged and "ALL" are limited to it.</param>
/// <param name="PrivilegedDevices">The host's /dev nodes, created in a --privileged container.</param>
/// <param name="Devices">The container's --device entries, resolved against the host.</param>
/// <param name="BlockDevices">The host's block devices by path, for the blkio per-device settings (major:minor).</param>
/// <param name="LinkEnv">The legacy links' variables (ALIAS_NAME, ALIAS_PORT_…), placed before the image's Env.</param>
public sealed record SpecInputs(
    string RootfsPath,
    string HostnamePath,
    string HostsPath,
    string ResolvConfPath,
    string? NetworkNamespacePath,
    ulong HostNofileHardLimit,
    string CgroupsPath,
    bool SwapLimitSupported = true,
    IReadOnlyList<string>? HostCapabilities = null,
    IReadOnlyList<Wharf.Core.Host.HostDevice>? PrivilegedDevices = null,
    IReadOnlyList<Security.ResolvedDevice>? Devices = null,
    IReadOnlyList<string>? LinkEnv = null,
    IReadOnlyDictionary<string, Wharf.Core.Host.HostDevice>? BlockDevices = null);
