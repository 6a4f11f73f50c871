using System.Globalization;

namespace Wharf.Cli.Parsing;

/// <summary>
/// Converts --since/--until values to the unix-seconds string the API expects, like docker's
/// GetTimestamp: a Go duration is relative to now; RFC3339/date forms are absolute; a plain number passes through.
/// </summary>
internal static class TimeArg
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH", "yyyy-MM-dd",
    ];

    public static string ToUnixTimestamp(string value, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (GoDuration.TryParse(value, out var duration) && !IsPlainNumber(value))
        {
            return FormatUnix(now - duration);
        }

        if (IsPlainNumber(value))
        {
            return value;
        }

        // Docker treats a date without a zone as local time.
        var style = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeLocal;
        if (DateTimeOffset.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, style, out var parsed))
        {
            return FormatUnix(parsed);
        }

        throw new CliUsageException($"invalid value for \"since\"/\"until\": failed to parse value as time or duration: \"{value}\"", 1);
    }

    private static bool IsPlainNumber(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiDigit(c) || c == '.') && value.Count(c => c == '.') <= 1;

    private static string FormatUnix(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTime.UnixEpoch.Ticks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.{remainder * 100:D9}");
    }
}
