using System.Globalization;
using Wharf.Core.Errors;
using Wharf.Engine.Containers.Filters;

namespace Wharf.Daemon.Endpoints;

/// <summary>The "until" filter of container, image and network prune, read the way Docker reads it: a Go duration
/// before now ("24h", "90m"), an RFC 3339 time or date ("2024-05-01T10:00:00Z", "2024-05-01"), or unix seconds with
/// an optional fraction ("1714557600.5"). One place, so the three prunes cannot drift apart: a form one of them
/// silently ignored would make it delete everything.</summary>
internal static class PruneUntil
{
    private const decimal MaxUnixSeconds = 253_402_300_799m; // 9999-12-31T23:59:59Z: beyond it no time exists (a 500 before)

    /// <summary>The cut-off of <paramref name="filters"/>, or null without an until filter. Docker refuses more than
    /// one value and anything it cannot read (400), rather than pruning without a limit.</summary>
    public static DateTimeOffset? From(FilterSet filters, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var values = filters.Get("until");
        if (values.Count == 0) return null;
        if (values.Count > 1) throw EngineException.Invalid("more than one until filter specified");
        return Parse(values[0], time);
    }

    public static DateTimeOffset Parse(string value, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(time);
        // Duration first, as Docker does ("0" alone is a unix time there).
        if (value != "0" && GoDuration.TryParse(value, out var duration)) return time.GetUtcNow() - duration;
        if (value.Length > 0 && value.All(c => char.IsAsciiDigit(c) || c == '.')
            && decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            && seconds <= MaxUnixSeconds)
        {
            var whole = (long)decimal.Truncate(seconds);
            return DateTimeOffset.FromUnixTimeSeconds(whole).AddTicks((long)((seconds - whole) * TimeSpan.TicksPerSecond));
        }
        // A time without a zone is the daemon's local time, as in Docker.
        if (value.Contains('-', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var absolute))
            return absolute;
        throw EngineException.Invalid($"failed to parse value as time or duration: \"{value}\"");
    }
}
