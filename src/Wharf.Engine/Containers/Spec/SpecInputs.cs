namespace Wharf.Engine.Containers.Spec;

/// <summary>Host-side facts the spec needs besides the container record and image config.</summary>
/// <param name="RootfsPath">Mounted rootfs; also where /etc/passwd and /etc/group are read for the user.</param>
/// <param name="NetworkNamespacePath">Null = a fresh network namespace (loopback only); a path = join that one.
/// Ignored for NetworkMode "host", which gets no network namespace entry at all.</param>
/// <param name="HostNofileHardLimit">The daemon's own RLIMIT_NOFILE hard limit: runc cannot raise above it.</param>
/// <param name="CgroupsPath">e.g. "/wharf/&lt;id&gt;".</param>
/// <param name="SwapLimitSupported">False when the kernel has no swap accounting; memory swap is then left out
/// (runc would fail writing memsw files), as Docker does.</param>
public sealed record SpecInputs(
    string RootfsPath,
    string HostnamePath,
    string HostsPath,
    string ResolvConfPath,
    string? NetworkNamespacePath,
    ulong HostNofileHardLimit,
    string CgroupsPath,
    bool SwapLimitSupported = true);
