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

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (!Shape().IsMatch(text)) return false;
        foreach (Match m in Part().Matches(text))
        {
            var n = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            duration += m.Groups["u"].Value switch
            {
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "s" => TimeSpan.FromSeconds(n),
                "ms" => TimeSpan.FromMilliseconds(n),
                _ => TimeSpan.FromTicks((long)(n / 100)),
            };
        }
        return true;
    }
}
