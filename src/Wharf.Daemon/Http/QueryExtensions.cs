using System.Globalization;
using Wharf.Core.Errors;

namespace Wharf.Daemon.Http;

/// <summary>Docker's query parameter conventions: booleans are "1"/"true"/"True" (anything else, or absent,
/// is false, except "0"/"false" explicitly), numbers are decimal. A repeated parameter is its first value, as Go's
/// FormValue (Docker's) reads it: docker-py sends dockerfile=&lt;name&gt;&amp;dockerfile=&lt;contents&gt; for a
/// Dockerfile outside the context.</summary>
internal static class QueryExtensions
{
    private const decimal MinUnixSeconds = -62_135_596_800m; // 0001-01-01T00:00:00Z
    private const decimal MaxUnixSeconds = 253_402_300_799m; // 9999-12-31T23:59:59Z

    public static bool Bool(this HttpRequest request, string name, bool fallback = false)
    {
        var value = request.Query[name].FirstOrDefault() ?? "";
        if (value.Length == 0) return fallback;
        return value is not ("0" or "false" or "False" or "FALSE");
    }

    public static string? String(this HttpRequest request, string name)
    {
        var value = request.Query[name].FirstOrDefault() ?? "";
        // No query value is ever meant to hold NUL: paths would be cut short by the kernel (or throw in .NET).
        if (value.Contains('\0', StringComparison.Ordinal)) throw EngineException.Invalid($"invalid value for {name}: contains a NUL character");
        return value.Length == 0 ? null : value;
    }

    public static int? Int(this HttpRequest request, string name)
    {
        var value = request.String(name);
        if (value is null) return null;
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw EngineException.Invalid($"invalid value for {name}: \"{value}\"");
    }

    /// <summary>Docker timestamps in queries: seconds since the epoch with an optional fraction ("1700000000.5").</summary>
    public static DateTimeOffset? UnixTime(this HttpRequest request, string name)
    {
        var value = request.String(name);
        if (value is null) return null;
        if (!decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var absolute)) return absolute;
            throw EngineException.Invalid($"invalid value for {name}: \"{value}\"");
        }
        // Outside year 1..9999 nothing can be represented; Docker answers such values with 400 too.
        if (seconds < MinUnixSeconds || seconds > MaxUnixSeconds) throw EngineException.Invalid($"invalid value for {name}: \"{value}\" is out of range");
        var whole = (long)decimal.Truncate(seconds);
        var ticks = (long)((seconds - whole) * TimeSpan.TicksPerSecond);
        return DateTimeOffset.FromUnixTimeSeconds(whole).AddTicks(ticks);
    }

    /// <summary>A time bound of the logs query: as <see cref="UnixTime"/>, except that 0 means no bound at all, as
    /// in Docker (Testcontainers sends <c>until=0</c> when it wants every line).</summary>
    public static DateTimeOffset? UnixTimeBound(this HttpRequest request, string name) =>
        request.UnixTime(name) is { } time && time != DateTimeOffset.UnixEpoch ? time : null;
}
