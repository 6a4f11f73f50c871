using System.Globalization;

namespace Wharf.Linux;

/// <summary>Docker-style signal names and numbers (Linux x86_64/arm64 numbering). Pure managed code, so the
/// engine may keep its own copy of this file.</summary>
public static class Signals
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGRTMIN = 34;
    public const int SIGRTMAX = 64;

    private static readonly Dictionary<string, int> ByName = new(StringComparer.Ordinal)
    {
        ["HUP"] = 1, ["INT"] = 2, ["QUIT"] = 3, ["ILL"] = 4, ["TRAP"] = 5, ["ABRT"] = 6, ["IOT"] = 6,
        ["BUS"] = 7, ["FPE"] = 8, ["KILL"] = 9, ["USR1"] = 10, ["SEGV"] = 11, ["USR2"] = 12, ["PIPE"] = 13,
        ["ALRM"] = 14, ["TERM"] = 15, ["STKFLT"] = 16, ["CHLD"] = 17, ["CLD"] = 17, ["CONT"] = 18,
        ["STOP"] = 19, ["TSTP"] = 20, ["TTIN"] = 21, ["TTOU"] = 22, ["URG"] = 23, ["XCPU"] = 24,
        ["XFSZ"] = 25, ["VTALRM"] = 26, ["PROF"] = 27, ["WINCH"] = 28, ["IO"] = 29, ["POLL"] = 29,
        ["PWR"] = 30, ["SYS"] = 31, ["RTMIN"] = SIGRTMIN, ["RTMAX"] = SIGRTMAX,
    };

    /// <summary>Parses "TERM", "SIGTERM", "sigterm", "15", "SIGRTMIN+3", "RTMAX-1". False for unknown names,
    /// 0, negative or out-of-range numbers.</summary>
    public static bool TryParse(string? text, out int signal)
    {
        signal = 0;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var s = text.Trim();
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            if (number is < 1 or > SIGRTMAX)
                return false;
            signal = number;
            return true;
        }

        s = s.ToUpperInvariant();
        if (s.StartsWith("SIG", StringComparison.Ordinal))
            s = s[3..];
        if (ByName.TryGetValue(s, out signal))
            return true;
        return TryParseRealtime(s, "RTMIN+", SIGRTMIN, +1, out signal)
            || TryParseRealtime(s, "RTMAX-", SIGRTMAX, -1, out signal);
    }

    /// <summary>"SIGTERM" for 15; realtime signals as "SIGRTMIN+n"; null if not a signal number.</summary>
    public static string? NameOf(int signal)
    {
        foreach (var (name, value) in ByName)
        {
            if (value == signal && name is not ("IOT" or "CLD" or "POLL"))
                return "SIG" + name;
        }
        return signal is > SIGRTMIN and < SIGRTMAX ? $"SIGRTMIN+{signal - SIGRTMIN}" : null;
    }

    private static bool TryParseRealtime(string s, string prefix, int baseSignal, int direction, out int signal)
    {
        signal = 0;
        if (!s.StartsWith(prefix, StringComparison.Ordinal)
            || !int.TryParse(s.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            return false;
        var value = baseSignal + (direction * offset);
        if (value is < SIGRTMIN or > SIGRTMAX)
            return false;
        signal = value;
        return true;
    }
}
