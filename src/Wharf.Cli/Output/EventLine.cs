using System.Globalization;
using Wharf.Api.Events;

namespace Wharf.Cli.Output;

/// <summary>docker events' default line: "2006-01-02T15:04:05.000000000Z07:00 type action id (k=v, k=v)".</summary>
internal static class EventLine
{
    public static string Format(EventMessage message, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(zone);
        var nanos = message.TimeNano != 0 ? message.TimeNano : message.Time * 1_000_000_000;
        var seconds = Math.DivRem(nanos, 1_000_000_000, out var fraction);
        var utc = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var local = TimeZoneInfo.ConvertTime(utc, zone);
        var offset = local.Offset == TimeSpan.Zero
            ? "Z"
            : (local.Offset < TimeSpan.Zero ? "-" : "+") + local.Offset.Duration().ToString("hh\\:mm", CultureInfo.InvariantCulture);
        var time = local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." + fraction.ToString("D9", CultureInfo.InvariantCulture) + offset;
        var line = $"{time} {message.Type} {message.Action} {message.Actor.ID}";
        if (message.Actor.Attributes.Count > 0)
        {
            line += " (" + string.Join(", ", message.Actor.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + "=" + a.Value)) + ")";
        }

        return line;
    }
}
