using System.Globalization;
using System.Text.RegularExpressions;

namespace Wharf.Daemon.Endpoints;

/// <summary>Go's time.ParseDuration subset Docker clients send: "1h30m", "10m", "45s", "1.5h", "300ms".</summary>
internal static partial class GoDuration
{
    [GeneratedRegex(@"^(?:(?<n>[0-9]+(?:\.[0-9]+)?)(?<u>ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex Shape();

    [GeneratedRegex(@"(?<n>[0-9]+(?:\.[0-9]+)?)(?<u>ns|us|µs|ms|s|m|h)")]
    private static partial Regex Part();

    /// <summary>False for text that is no duration, and, as in Go, for one beyond an int64 of nanoseconds (~292 years):
    /// "9999999999h" would overflow TimeSpan (a 500) and no time bound that far away means anything.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (!Shape().IsMatch(text)) return false;
        var nanoseconds = 0.0;
        foreach (Match m in Part().Matches(text))
        {
            var n = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            nanoseconds += n * m.Groups["u"].Value switch
            {
                "h" => 3600e9,
                "m" => 60e9,
                "s" => 1e9,
                "ms" => 1e6,
                "us" or "µs" => 1e3,
                _ => 1,
            };
        }
        if (!(nanoseconds <= long.MaxValue)) return false;
        duration = TimeSpan.FromTicks((long)(nanoseconds / 100));
        return true;
    }
}
