using Wharf.Core.Errors;

namespace Wharf.Engine.Containers.Security;

/// <summary>HostConfig.SecurityOpt parsed the way Docker parses it: "no-new-privileges[=|:bool]",
/// "seccomp=unconfined|builtin|&lt;profile JSON&gt;", and "label=..."/"apparmor=..." which this host has no LSM
/// for (accepted, reported back as warnings).</summary>
public sealed record SecurityOptions(SeccompMode Seccomp, SeccompProfile? CustomProfile, bool NoNewPrivileges, IReadOnlyList<string> Warnings)
{
    public static SecurityOptions Parse(IReadOnlyList<string> securityOpt)
    {
        ArgumentNullException.ThrowIfNull(securityOpt);
        var seccomp = SeccompMode.Default;
        SeccompProfile? profile = null;
        var noNewPrivileges = false;
        var warnings = new List<string>();
        foreach (var opt in securityOpt)
        {
            if (opt == "no-new-privileges") { noNewPrivileges = true; continue; }
            if (opt == "disable") { warnings.Add("label=disable ignored: SELinux is not enabled on this host"); continue; }
            var sep = opt.IndexOf('=', StringComparison.Ordinal);
            if (sep < 0) sep = opt.IndexOf(':', StringComparison.Ordinal); // the deprecated "key:value" form
            if (sep < 0) throw EngineException.Invalid($"invalid --security-opt 1: \"{opt}\"");
            var key = opt[..sep];
            var value = opt[(sep + 1)..];
            switch (key)
            {
                case "no-new-privileges":
                    noNewPrivileges = ParseBool(value) ?? throw EngineException.Invalid($"invalid --security-opt 2: \"{opt}\"");
                    break;
                case "seccomp":
                    if (value == "unconfined") { seccomp = SeccompMode.Unconfined; profile = null; }
                    else if (value is "builtin" or "") { seccomp = SeccompMode.Default; profile = null; }
                    else { seccomp = SeccompMode.Custom; profile = SeccompCompiler.Parse(value); }
                    break;
                case "apparmor":
                    warnings.Add($"apparmor={value} ignored: AppArmor is not enabled on this host");
                    break;
                case "label":
                    warnings.Add($"label={value} ignored: SELinux is not enabled on this host");
                    break;
                case "systempaths":
                    if (value != "unconfined") throw EngineException.Invalid($"invalid --security-opt 2: \"{opt}\"");
                    break;
                default:
                    throw EngineException.Invalid($"invalid --security-opt 2: \"{opt}\"");
            }
        }
        return new SecurityOptions(seccomp, profile, noNewPrivileges, warnings);
    }

    /// <summary>"systempaths=unconfined": no masked or read-only /proc and /sys paths (Docker's option).</summary>
    public static bool UnconfinedSystemPaths(IReadOnlyList<string> securityOpt) =>
        securityOpt.Any(o => o is "systempaths=unconfined" or "systempaths:unconfined");

    /// <summary>Go's strconv.ParseBool.</summary>
    private static bool? ParseBool(string value) => value switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => null,
    };
}
