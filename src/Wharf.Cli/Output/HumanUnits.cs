using System.Globalization;

namespace Wharf.Cli.Output;

/// <summary>Human-readable durations and sizes exactly as docker (go-units) prints them.</summary>
internal static class HumanUnits
{
    private static readonly string[] DecimalUnits = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    private static readonly string[] BinaryUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

    /// <summary>go-units HumanDuration: "Less than a second", "3 seconds", "About a minute", "2 hours", "3 weeks"...</summary>
    public static string Duration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < 1)
        {
            return "Less than a second";
        }

        if (seconds == 1)
        {
            return "1 second";
        }

        if (seconds < 60)
        {
            return Invariant($"{seconds} seconds");
        }

        var minutes = (long)d.TotalMinutes;
        if (minutes == 1)
        {
            return "About a minute";
        }

        if (minutes < 60)
        {
            return Invariant($"{minutes} minutes");
        }

        var hours = (long)(d.TotalHours + 0.5);
        if (hours == 1)
        {
            return "About an hour";
        }

        if (hours < 48)
        {
            return Invariant($"{hours} hours");
        }

        if (hours < 24 * 7 * 2)
        {
            return Invariant($"{hours / 24} days");
        }

        if (hours < 24 * 30 * 2)
        {
            return Invariant($"{hours / 24 / 7} weeks");
        }

        if (hours < 24 * 365 * 2)
        {
            return Invariant($"{hours / 24 / 30} months");
        }

        return Invariant($"{(long)(d.TotalHours / 24 / 365)} years");
    }

    /// <summary>"3 minutes ago" from a unix-seconds timestamp.</summary>
    public static string Ago(long unixSeconds, DateTimeOffset now) =>
        Duration(now - DateTimeOffset.FromUnixTimeSeconds(unixSeconds)) + " ago";

    /// <summary>go-units HumanSizeWithPrecision: 1000-based, "%.{precision}g" ("4.26MB", "0B", "1.5kB").</summary>
    public static string Size(double bytes, int precision = 4) => Format(bytes, 1000.0, DecimalUnits, precision);

    /// <summary>go-units BytesSize: 1024-based, "%.4g" ("7.629GiB").</summary>
    public static string BinarySize(double bytes) => Format(bytes, 1024.0, BinaryUnits, 4);

    private static string Format(double size, double unitBase, string[] units, int precision)
    {
        var i = 0;
        while (size >= unitBase && i < units.Length - 1)
        {
            size /= unitBase;
            i++;
        }

        return FormatG(size, precision) + units[i];
    }

    /// <summary>Go's %.Ng: shortest of fixed/exponent with N significant digits, trailing zeros removed.</summary>
    internal static string FormatG(double value, int precision)
    {
        if (value == 0)
        {
            return "0";
        }

        var rounded = double.Parse(value.ToString("E" + (precision - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var exponent = (int)Math.Floor(Math.Log10(Math.Abs(rounded)));
        if (exponent < -4 || exponent >= precision)
        {
            var mantissa = rounded / Math.Pow(10, exponent);
            var m = mantissa.ToString("0." + new string('#', Math.Max(0, precision - 1)), CultureInfo.InvariantCulture);
            return m + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }

        var decimals = Math.Max(0, precision - 1 - exponent);
        return rounded.ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
