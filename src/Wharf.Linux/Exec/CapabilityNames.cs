namespace Wharf.Linux.Exec;

/// <summary>Capability names (linux/capability.h) to numbers, and a name list to the 64-bit mask capset(2) takes.
/// Unknown names and numbers above the running kernel's cap_last_cap are ignored, as runc does (it only warns).</summary>
public static class CapabilityNames
{
    private static readonly string[] Names =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
        "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO",
        "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
        "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
        "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary>The number of a capability name ("CAP_SYS_ADMIN" → 21); null when unknown.</summary>
    public static int? Number(string name)
    {
        var index = Array.IndexOf(Names, name);
        return index < 0 ? null : index;
    }

    /// <summary>The mask of <paramref name="names"/>, limited to capabilities 0..<paramref name="lastCap"/>.</summary>
    public static ulong Mask(IEnumerable<string>? names, int lastCap)
    {
        ulong mask = 0;
        foreach (var name in names ?? [])
        {
            if (Number(name) is { } n && n <= lastCap && n < 64)
                mask |= 1UL << n;
        }
        return mask;
    }
}
