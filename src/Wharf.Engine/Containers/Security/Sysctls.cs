using Wharf.Core.Errors;

namespace Wharf.Engine.Containers.Security;

/// <summary>Which sysctls a container may set: only those that live in a namespace the container owns (IPC,
/// UTS, and network unless it shares the host's network), as runc enforces.</summary>
public static class Sysctls
{
    private static readonly string[] IpcNamespaced =
    [
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax",
        "kernel.shmmni", "kernel.shm_rmid_forced",
    ];

    /// <summary>Throws InvalidArgument, worded like runc's validation, for the first sysctl that would reach the host.</summary>
    public static void Validate(IReadOnlyDictionary<string, string> sysctls, string networkMode)
    {
        ArgumentNullException.ThrowIfNull(sysctls);
        foreach (var name in sysctls.Keys)
        {
            if (IpcNamespaced.Contains(name) || name.StartsWith("fs.mqueue.", StringComparison.Ordinal)) continue;
            if (name == "kernel.domainname") continue; // UTS namespace: always private here
            if (name == "kernel.hostname")
                throw EngineException.Invalid($"sysctl \"{name}\" is not allowed as it conflicts with the OCI \"hostname\" field");
            if (name.StartsWith("net.", StringComparison.Ordinal))
            {
                if (networkMode == "host")
                    throw EngineException.Invalid($"sysctl \"{name}\" not allowed in host network namespace");
                continue;
            }
            throw EngineException.Invalid($"sysctl \"{name}\" is not in a separate kernel namespace");
        }
    }
}
