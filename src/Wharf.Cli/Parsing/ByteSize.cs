using System.Globalization;

namespace Wharf.Cli.Parsing;

/// <summary>Parses docker memory sizes ("512m", "1g", "1024", "1.5GB") in binary units like go-units RAMInBytes.</summary>
internal static class ByteSize
{
    public static long Parse(string text, string flag)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim().ToLowerInvariant();
        var end = 0;
        while (end < t.Length && (char.IsAsciiDigit(t[end]) || t[end] == '.'))
        {
            end++;
        }

        if (end == 0 || !double.TryParse(t[..end], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            throw new CliUsageException($"invalid argument \"{text}\" for \"{flag}\" flag: invalid size: '{text}'");
        }

        var unit = t[end..].TrimEnd('b', 'i');
        var multiplier = unit switch
        {
            "" => 1L,
            "k" => 1L << 10,
            "m" => 1L << 20,
            "g" => 1L << 30,
            "t" => 1L << 40,
            "p" => 1L << 50,
            _ => throw new CliUsageException($"invalid argument \"{text}\" for \"{flag}\" flag: invalid suffix: '{t[end..]}'"),
        };
        return (long)(number * multiplier);
    }
}
