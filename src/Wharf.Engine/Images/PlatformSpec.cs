using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Wharf.Core.Errors;

namespace Wharf.Engine.Images;

/// <summary>A platform as the API's "platform" parameter names it ("linux", "amd64", "linux/arm64", "linux/arm/v7"),
/// parsed with the rules Docker uses (containerd's platform specifiers): a single word is an operating system if it
/// is a known one, else a known architecture; two or three words are taken as given, normalised ("x86_64" is amd64,
/// "aarch64" arm64). Anything else is refused with Docker's wording, before any work starts.</summary>
public sealed partial record PlatformSpec(string Os, string Architecture, string? Variant)
{
    private static readonly HashSet<string> KnownOs = new(StringComparer.Ordinal)
    {
        "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl", "netbsd",
        "openbsd", "plan9", "solaris", "windows", "zos",
    };

    private static readonly HashSet<string> KnownArchitectures = new(StringComparer.Ordinal)
    {
        "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "ppc64", "ppc64le", "loong64", "mips", "mipsle",
        "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm",
    };

    /// <summary>This host's architecture, as Go names it.</summary>
    public static string HostArchitecture => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        _ => "amd64",
    };

    /// <summary>The host's own platform: what an empty "platform" parameter means.</summary>
    public static PlatformSpec Host => new("linux", HostArchitecture, null);

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex Component();

    /// <summary>Parses <paramref name="specifier"/>; null or blank is the host's platform.</summary>
    public static PlatformSpec Parse(string? specifier)
    {
        if (string.IsNullOrWhiteSpace(specifier)) return Host;
        if (specifier.Contains('*', StringComparison.Ordinal))
            throw EngineException.Invalid($"\"{specifier}\": wildcards not yet supported: invalid argument");
        var parts = specifier.Split('/');
        foreach (var part in parts)
        {
            if (!Component().IsMatch(part))
                throw EngineException.Invalid($"\"{part}\" is an invalid component of \"{specifier}\": platform specifier component must match \"^[A-Za-z0-9_-]+$\": invalid argument");
        }
        switch (parts.Length)
        {
            case 1:
                var os = NormalizeOs(parts[0]);
                if (KnownOs.Contains(os)) return new PlatformSpec(os, HostArchitecture, null);
                var (architecture, variant) = NormalizeArchitecture(parts[0], "");
                if (KnownArchitectures.Contains(architecture)) return new PlatformSpec("linux", architecture, variant == "v7" && architecture == "arm" ? null : NullIfEmpty(variant));
                throw EngineException.Invalid($"\"{specifier}\": unknown operating system or architecture: invalid argument");
            case 2:
                var (arch2, variant2) = NormalizeArchitecture(parts[1], "");
                return new PlatformSpec(NormalizeOs(parts[0]), arch2, arch2 == "arm" && variant2 == "v7" ? null : NullIfEmpty(variant2));
            case 3:
                var (arch3, variant3) = NormalizeArchitecture(parts[1], parts[2]);
                return new PlatformSpec(NormalizeOs(parts[0]), arch3, arch3 == "arm64" && variant3.Length == 0 ? "v8" : NullIfEmpty(variant3));
            default:
                throw EngineException.Invalid($"\"{specifier}\": cannot parse platform specifier: invalid argument");
        }
    }

    /// <summary>Parses and refuses an operating system this engine cannot run, as dockerd does for pulls and creates.</summary>
    public static PlatformSpec ParseRunnable(string? specifier)
    {
        var platform = Parse(specifier);
        if (platform.Os != "linux") throw EngineException.Invalid($"unsupported os {platform.Os}");
        return platform;
    }

    public override string ToString() => Os + "/" + Architecture + (Variant is null ? "" : "/" + Variant);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static string NormalizeOs(string os)
    {
        var lower = os.ToLowerInvariant();
        return lower == "macos" ? "darwin" : lower;
    }

    private static (string Architecture, string Variant) NormalizeArchitecture(string architecture, string variant)
    {
        var arch = architecture.ToLowerInvariant();
        var v = variant.ToLowerInvariant();
        switch (arch)
        {
            case "i386":
                return ("386", "");
            case "x86_64" or "x86-64" or "amd64":
                return ("amd64", v == "v1" ? "" : v);
            case "aarch64" or "arm64":
                return ("arm64", v is "8" or "v8" ? "v8" : v);
            case "armhf":
                return ("arm", "v7");
            case "armel":
                return ("arm", "v6");
            case "arm":
                return ("arm", v switch { "" or "7" => "v7", "5" or "6" or "8" => "v" + v, _ => v });
            default:
                return (arch, v);
        }
    }
}
