using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Wharf.Core.Errors;
using Wharf.Core.Oci;

namespace Wharf.Engine.Containers.Security;

/// <summary>Turns a Docker-format seccomp profile into the OCI filter for one container: keeps the rules whose
/// conditions hold for that container's capabilities, the host architecture and kernel, and drops the rest.</summary>
public static class SeccompCompiler
{
    private static readonly string[] KnownActions =
    [
        "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO",
        "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
    ];

    private static readonly string[] KnownOps =
    [
        "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
    ];

    /// <summary>Parses and checks a user's profile (the content the docker CLI read from the file). Throws
    /// InvalidArgument "Decoding seccomp profile failed: ..." for anything runc could not load.</summary>
    public static SeccompProfile Parse(string json)
    {
        SeccompProfile? profile;
        try
        {
            profile = JsonSerializer.Deserialize(json, SecurityJsonContext.Default.SeccompProfile);
        }
        catch (JsonException e)
        {
            throw Decoding(e.Message);
        }
        if (profile is null) throw Decoding("the profile is empty");
        Validate(profile);
        return profile;
    }

    /// <summary>The rule-level checks Docker and runc make, so a bad profile fails at create, not at start.</summary>
    public static void Validate(SeccompProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (!KnownActions.Contains(profile.DefaultAction))
            throw Decoding($"invalid default action \"{profile.DefaultAction}\"");
        if (profile.Architectures is { Count: > 0 } && profile.ArchMap is { Count: > 0 })
            throw Decoding("'architectures' and 'archMap' were specified in the seccomp profile, use either 'architectures' or 'archMap'");
        foreach (var rule in profile.Syscalls ?? [])
        {
            if (!string.IsNullOrEmpty(rule.Name) && rule.Names is { Count: > 0 })
                throw Decoding("'name' and 'names' were specified in the seccomp profile, use either 'name' or 'names'");
            if (!KnownActions.Contains(rule.Action))
                throw Decoding($"invalid action \"{rule.Action}\"");
            foreach (var arg in rule.Args ?? [])
            {
                if (!KnownOps.Contains(arg.Op)) throw Decoding($"invalid operator \"{arg.Op}\"");
                if (arg.Index > 5) throw Decoding($"invalid argument index {arg.Index}");
            }
        }
    }

    /// <param name="capabilities">The container's effective set ("CAP_SYS_ADMIN"...).</param>
    /// <param name="goArch">Docker's architecture name of the host ("amd64", "arm64"...).</param>
    /// <param name="kernel">The host kernel, for minKernel conditions.</param>
    public static SpecSeccomp Compile(SeccompProfile profile, IReadOnlyCollection<string> capabilities, string goArch, Version kernel)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(capabilities);
        var rules = new List<SpecSyscall>();
        foreach (var rule in profile.Syscalls ?? [])
        {
            if (!Applies(rule, capabilities, goArch, kernel)) continue;
            var names = rule.Names is { Count: > 0 } ? rule.Names : rule.Name is { Length: > 0 } n ? [n] : [];
            if (names.Count == 0) continue;
            rules.Add(new SpecSyscall
            {
                Names = names,
                Action = rule.Action,
                ErrnoRet = rule.ErrnoRet,
                Args = rule.Args is { Count: > 0 } args
                    ? args.Select(a => new SpecSyscallArg { Index = a.Index, Value = a.Value, ValueTwo = a.ValueTwo, Op = a.Op }).ToList()
                    : null,
            });
        }

        return new SpecSeccomp
        {
            DefaultAction = profile.DefaultAction,
            DefaultErrnoRet = profile.DefaultErrnoRet,
            Architectures = Architectures(profile, goArch),
            Flags = profile.Flags is { Count: > 0 } ? profile.Flags : null,
            Syscalls = rules,
        };
    }

    /// <summary>Docker's architecture names: Go's GOARCH values.</summary>
    public static string HostGoArch() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.X86 => "386",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.RiscV64 => "riscv64",
        _ => RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
    };

    /// <summary>The running kernel's version (Environment.OSVersion reports uname's release on Linux).</summary>
    public static Version HostKernel() => Environment.OSVersion.Version;

    private static bool Applies(SeccompRule rule, IReadOnlyCollection<string> caps, string goArch, Version kernel)
    {
        if (rule.Includes is { } inc)
        {
            if (inc.Caps is { Count: > 0 } && !inc.Caps.All(caps.Contains)) return false;
            if (inc.Arches is { Count: > 0 } && !inc.Arches.Contains(goArch)) return false;
            if (!string.IsNullOrEmpty(inc.MinKernel) && kernel < ParseKernel(inc.MinKernel)) return false;
        }
        if (rule.Excludes is { } exc)
        {
            if (exc.Caps is { Count: > 0 } && exc.Caps.Any(caps.Contains)) return false;
            if (exc.Arches is { Count: > 0 } && exc.Arches.Contains(goArch)) return false;
            if (!string.IsNullOrEmpty(exc.MinKernel) && kernel >= ParseKernel(exc.MinKernel)) return false;
        }
        return true;
    }

    private static List<string>? Architectures(SeccompProfile profile, string goArch)
    {
        if (profile.Architectures is { Count: > 0 } listed) return listed;
        if (profile.ArchMap is not { Count: > 0 } map) return null;
        var native = goArch switch
        {
            "amd64" => "SCMP_ARCH_X86_64",
            "arm64" => "SCMP_ARCH_AARCH64",
            "arm" => "SCMP_ARCH_ARM",
            "386" => "SCMP_ARCH_X86",
            "s390x" => "SCMP_ARCH_S390X",
            "ppc64le" => "SCMP_ARCH_PPC64LE",
            "riscv64" => "SCMP_ARCH_RISCV64",
            _ => "",
        };
        var entry = map.FirstOrDefault(m => m.Architecture == native);
        return entry is null ? null : [entry.Architecture, .. entry.SubArchitectures ?? []];
    }

    private static Version ParseKernel(string text)
    {
        var parts = text.Split('.', '-');
        var major = parts.Length > 0 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ma) ? ma : 0;
        var minor = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var mi) ? mi : 0;
        return new Version(major, minor);
    }

    private static EngineException Decoding(string detail) => EngineException.Invalid("Decoding seccomp profile failed: " + detail);
}
