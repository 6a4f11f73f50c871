using System.Globalization;
using System.Text;

namespace Wharf.Compose.Planning.Hash;

/// <summary>Go's time.Duration.String(): "1m30s", "1h0m0s", "500ms", "1.5µs", "0s". Compose v2 writes
/// durations this way into the JSON it hashes.</summary>
internal static class GoDuration
{
    public static string Format(TimeSpan duration)
    {
        // TimeSpan counts 100 ns ticks; Go counts nanoseconds.
        var nanos = duration.Ticks * 100;
        var negative = nanos < 0;
        var u = (ulong)Math.Abs(nanos);
        string text;
        if (u == 0)
        {
            return "0s";
        }

        if (u < 1_000_000_000)
        {
            var (unit, precision) = u switch
            {
                < 1_000 => ("ns", 0),
                < 1_000_000 => ("µs", 3),
                _ => ("ms", 6),
            };
            text = Fraction(u, precision) + unit;
        }
        else
        {
            var seconds = Fraction(u, 9);
            var whole = u / 1_000_000_000;
            var minutes = whole / 60;
            var builder = new StringBuilder();
            if (minutes > 0)
            {
                var hours = minutes / 60;
                if (hours > 0)
                {
                    builder.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
                }

                builder.Append((minutes % 60).ToString(CultureInfo.InvariantCulture)).Append('m');
            }

            // Fraction() printed the whole seconds too; keep only the part below a minute.
            var fractionStart = seconds.IndexOf('.', StringComparison.Ordinal);
            var fraction = fractionStart < 0 ? "" : seconds[fractionStart..];
            builder.Append((whole % 60).ToString(CultureInfo.InvariantCulture)).Append(fraction).Append('s');
            text = builder.ToString();
        }

        return negative ? "-" + text : text;
    }

    /// <summary>value / 10^precision with trailing zeros (and a bare point) dropped, like Go's fmtFrac+fmtInt.</summary>
    private static string Fraction(ulong value, int precision)
    {
        var scale = 1UL;
        for (var i = 0; i < precision; i++)
        {
            scale *= 10;
        }

        var whole = (value / scale).ToString(CultureInfo.InvariantCulture);
        if (precision == 0)
        {
            return whole;
        }

        var fraction = (value % scale).ToString(CultureInfo.InvariantCulture).PadLeft(precision, '0').TrimEnd('0');
        return fraction.Length == 0 ? whole : whole + "." + fraction;
    }
}
