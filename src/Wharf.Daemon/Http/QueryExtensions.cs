using System.Globalization;
using Wharf.Core.Errors;

namespace Wharf.Daemon.Http;

/// <summary>Docker's query parameter conventions: booleans are "1"/"true"/"True" (anything else, or absent,
/// is false, except "0"/"false" explicitly), numbers are decimal.</summary>
internal static class QueryExtensions
{
    public static bool Bool(this HttpRequest request, string name, bool fallback = false)
    {
        var value = request.Query[name].ToString();
        if (value.Length == 0) return fallback;
        return value is not ("0" or "false" or "False" or "FALSE");
    }

    public static string? String(this HttpRequest request, string name)
    {
        var value = request.Query[name].ToString();
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
        var whole = (long)decimal.Truncate(seconds);
        var ticks = (long)((seconds - whole) * TimeSpan.TicksPerSecond);
        return DateTimeOffset.FromUnixTimeSeconds(whole).AddTicks(ticks);
    }

    /// <summary>A time bound of the logs query: as <see cref="UnixTime"/>, except that 0 means no bound at all, as
    /// in Docker (Testcontainers sends <c>until=0</c> when it wants every line).</summary>
    public static DateTimeOffset? UnixTimeBound(this HttpRequest request, string name) =>
        request.UnixTime(name) is { } time && time != DateTimeOffset.UnixEpoch ? time : null;
}
