using Wharf.Core.Errors;

namespace Wharf.Engine.Containers.Spec;

/// <summary>Linux capability names and Docker's rules for --cap-add / --cap-drop / --privileged.</summary>
public static class Capabilities
{
    /// <summary>Docker's default set, in Docker's order.</summary>
    public static IReadOnlyList<string> Defaults { get; } =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
        "CAP_AUDIT_WRITE",
    ];

    /// <summary>Every capability Linux defines (numbers 0..40), in number order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
        "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    ];

    private const string AllKeyword = "ALL";

    /// <summary>Throws Docker's InvalidArgument for any unknown name; call at create so bad input never
    /// reaches start.</summary>
    public static void Validate(IEnumerable<string> capAdd, IEnumerable<string> capDrop)
    {
        Normalize(capAdd, "CapAdd");
        Normalize(capDrop, "CapDrop");
    }

    /// <summary>The effective set: "ALL" in add means everything but the drops; "ALL" in drop means only the adds;
    /// otherwise defaults minus drops plus adds (an add wins over a drop of the same name).</summary>
    public static IReadOnlyList<string> Compute(IEnumerable<string> capAdd, IEnumerable<string> capDrop, bool privileged, IReadOnlyCollection<string>? hostBounding = null)
    {
        var computed = Compute(capAdd, capDrop, privileged);
        // The host cannot hand out what it does not hold itself (this VM lacks CAP_SYS_RESOURCE): runc would
        // fail with "unable to apply caps", so the set is limited to the host's bounding set.
        return hostBounding is null ? computed : computed.Where(hostBounding.Contains).ToList();
    }

    /// <summary>Capability names for the bits set in a /proc/&lt;pid&gt;/status mask (CapBnd), in number order.</summary>
    public static IReadOnlyList<string> FromMask(ulong mask) =>
        All.Where((_, bit) => (mask & (1UL << bit)) != 0).ToList();

    private static IReadOnlyList<string> Compute(IEnumerable<string> capAdd, IEnumerable<string> capDrop, bool privileged)
    {
        if (privileged)
        {
            return All;
        }

        var add = Normalize(capAdd, "CapAdd");
        var drop = Normalize(capDrop, "CapDrop");
        IEnumerable<string> result;
        if (add.Contains(AllKeyword))
        {
            result = All.Where(c => !drop.Contains(c));
        }
        else if (drop.Contains(AllKeyword))
        {
            result = add;
        }
        else
        {
            result = Defaults.Where(c => !drop.Contains(c)).Concat(add);
        }

        return result.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Upper-cases and adds the CAP_ prefix; "ALL" stays "ALL".</summary>
    private static List<string> Normalize(IEnumerable<string> names, string field)
    {
        var result = new List<string>();
        foreach (var raw in names)
        {
            var name = raw.Trim().ToUpperInvariant();
            if (name == AllKeyword)
            {
                result.Add(AllKeyword);
                continue;
            }

            if (!name.StartsWith("CAP_", StringComparison.Ordinal))
            {
                name = "CAP_" + name;
            }

            if (!All.Contains(name))
            {
                throw EngineException.Invalid($"invalid {field}: unknown capability: \"{name}\"");
            }

            result.Add(name);
        }

        return result;
    }
}
