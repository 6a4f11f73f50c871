using System.Globalization;
using Wharf.Core.Errors;

namespace Wharf.Engine.Signals;

/// <summary>The Linux x86_64 signal table, managed only, so stop signals and <c>kill -s</c> can be validated
/// and displayed without touching the host. Accepts Docker's spellings: "TERM", "SIGTERM", "sigterm", "15",
/// "SIGRTMIN+3", "RTMAX-2".</summary>
public static class SignalNames
{
    /// <summary>First and last real-time signals as glibc exposes them (the kernel's 32 and 33 are taken by
    /// the threading library, which is why Docker's table also starts RTMIN at 34).</summary>
    public const int RealTimeMin = 34;
    public const int RealTimeMax = 64;

    private static readonly string[] s_classicNames =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
        "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM",
        "PROF", "WINCH", "IO", "PWR", "SYS",
    ];

    // Old aliases users still type; they map to the same numbers as the canonical names above.
    private static readonly Dictionary<string, int> s_aliases = new(StringComparer.Ordinal)
    {
        ["IOT"] = 6,
        ["CLD"] = 17,
        ["POLL"] = 29,
    };

    /// <summary>Parses a signal name or number; false for anything that is not a Linux signal (0 included).</summary>
    public static bool TryParse(string? text, out int signal)
    {
        signal = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var raw = text.Trim();
        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            if (number is < 1 or > RealTimeMax)
            {
                return false;
            }

            signal = number;
            return true;
        }

        var name = raw.ToUpperInvariant();
        if (name.StartsWith("SIG", StringComparison.Ordinal))
        {
            name = name[3..];
        }

        return TryParseName(name, out signal);
    }

    /// <summary>Like <see cref="TryParse"/> but throws Docker's error for the API edge.</summary>
    public static int Parse(string text) =>
        TryParse(text, out var signal) ? signal : throw EngineException.Invalid($"Invalid signal: {text}");

    /// <summary>"SIGTERM" for 15, "SIGRTMIN+3" for 37; null when the number is not a signal.</summary>
    public static string? NameOf(int signal)
    {
        if (signal >= 1 && signal < s_classicNames.Length)
        {
            return "SIG" + s_classicNames[signal];
        }

        // Docker names the upper half of the real-time range relative to RTMAX, the lower half to RTMIN.
        return signal switch
        {
            RealTimeMin => "SIGRTMIN",
            RealTimeMax => "SIGRTMAX",
            > RealTimeMin and <= RealTimeMin + 15 => "SIGRTMIN+" + (signal - RealTimeMin).ToString(CultureInfo.InvariantCulture),
            > RealTimeMin + 15 and < RealTimeMax => "SIGRTMAX-" + (RealTimeMax - signal).ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    private static bool TryParseName(string name, out int signal)
    {
        signal = Array.IndexOf(s_classicNames, name);
        if (signal > 0)
        {
            return true;
        }

        if (s_aliases.TryGetValue(name, out signal))
        {
            return true;
        }

        return TryParseRealTime(name, "RTMIN", RealTimeMin, +1, out signal)
            || TryParseRealTime(name, "RTMAX", RealTimeMax, -1, out signal);
    }

    private static bool TryParseRealTime(string name, string baseName, int baseNumber, int direction, out int signal)
    {
        signal = 0;
        if (!name.StartsWith(baseName, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = name[baseName.Length..];
        if (rest.Length == 0)
        {
            signal = baseNumber;
            return true;
        }

        var expectedSign = direction > 0 ? '+' : '-';
        if (rest[0] != expectedSign
            || !int.TryParse(rest.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            return false;
        }

        var candidate = baseNumber + (direction * offset);
        if (offset < 1 || candidate < RealTimeMin || candidate > RealTimeMax)
        {
            return false;
        }

        signal = candidate;
        return true;
    }
}
