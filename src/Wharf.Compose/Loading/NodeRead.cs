using System.Globalization;
using Wharf.Compose.Yaml;

namespace Wharf.Compose.Loading;

/// <summary>Typed reads of nodes with Compose-style errors ("file:line: path: must be a string").</summary>
internal static class NodeRead
{
    public static MapNode Map(Node node, string path) =>
        node as MapNode ?? throw ComposeException.At(node, path, $"must be a mapping, not {node.Kind}");

    public static string Str(Node node, string path) => node switch
    {
        ScalarNode s => s.Value,
        _ => throw ComposeException.At(node, path, $"must be a string, not {node.Kind}"),
    };

    public static string? OptStr(Node node, string path) => node is ScalarNode { IsNull: true } ? null : Str(node, path);

    public static int Int(Node node, string path) =>
        int.TryParse(Str(node, path), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ComposeException.At(node, path, $"must be an integer, not \"{Str(node, path)}\"");

    public static long Long(Node node, string path) =>
        long.TryParse(Str(node, path), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ComposeException.At(node, path, $"must be an integer, not \"{Str(node, path)}\"");

    public static double Double(Node node, string path) =>
        double.TryParse(Str(node, path), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ComposeException.At(node, path, $"must be a number, not \"{Str(node, path)}\"");

    public static bool Bool(Node node, string path) => Str(node, path).ToLowerInvariant() switch
    {
        "true" or "yes" or "on" or "y" => true,
        "false" or "no" or "off" or "n" => false,
        var other => throw ComposeException.At(node, path, $"must be a boolean, not \"{other}\""),
    };

    /// <summary>A string or a list of strings.</summary>
    public static List<string> StrList(Node node, string path) => node switch
    {
        ScalarNode { IsNull: true } => [],
        ScalarNode s => [s.Value],
        SeqNode seq => seq.Items.Select((item, i) => Str(item, $"{path}[{i}]")).ToList(),
        _ => throw ComposeException.At(node, path, "must be a string or a list of strings"),
    };

    /// <summary>command/entrypoint: a list, or a string split like a shell would.</summary>
    public static List<string> CommandLine(Node node, string path) => node switch
    {
        ScalarNode s => ShellWords.Split(s.Value, node, path),
        SeqNode seq => seq.Items.Select((item, i) => Str(item, $"{path}[{i}]")).ToList(),
        _ => throw ComposeException.At(node, path, "must be a string or a list of strings"),
    };

    /// <summary>A mapping of strings (lists were turned into mappings by <see cref="NodeMerger"/>).</summary>
    public static List<KeyValuePair<string, string?>> StrMap(Node node, string path)
    {
        if (node is SeqNode seq)
        {
            var holder = new MapNode(node.Where);
            holder.Set("labels", seq);
            NodeMerger.NormaliseService(holder);
            node = holder.Get("labels")!;
        }

        return Map(node, path).Entries
            .Select(e => new KeyValuePair<string, string?>(e.Key, e.Value is ScalarNode { IsNull: true } ? null : Str(e.Value, path + "." + e.Key)))
            .ToList();
    }

    public static void Keys(MapNode map, string path, IReadOnlySet<string> known)
    {
        foreach (var (key, value) in map.Entries)
        {
            if (!known.Contains(key) && !key.StartsWith("x-", StringComparison.Ordinal))
            {
                throw ComposeException.At(value, path.Length == 0 ? key : $"{path}.{key}", "additional property " + key + " is not allowed");
            }
        }
    }

    /// <summary>Go-style durations as Compose writes them: "1m30s", "10s", "500ms", "2h", or plain seconds.</summary>
    public static TimeSpan Duration(Node node, string path)
    {
        var text = Str(node, path).Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        var total = TimeSpan.Zero;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]) || i < text.Length && text[i] == 'µ')
            {
                i++;
            }

            if (start == unitStart || unitStart == i
                || !double.TryParse(text[start..unitStart], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
            {
                throw ComposeException.At(node, path, $"invalid duration \"{text}\"");
            }

            total += text[unitStart..i] switch
            {
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "ms" => TimeSpan.FromMilliseconds(amount),
                "us" or "µs" => TimeSpan.FromMicroseconds(amount),
                "ns" => TimeSpan.FromTicks((long)(amount / 100)),
                _ => throw ComposeException.At(node, path, $"invalid duration \"{text}\""),
            };
        }

        return total;
    }

    /// <summary>Byte sizes: 1024, "512m", "1g", "64kb", "1.5GiB".</summary>
    public static long Bytes(Node node, string path)
    {
        var text = Str(node, path).Trim().ToLowerInvariant();
        var end = 0;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.'))
        {
            end++;
        }

        if (end == 0 || !double.TryParse(text[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
        {
            throw ComposeException.At(node, path, $"invalid size \"{text}\"");
        }

        var multiplier = text[end..].Trim() switch
        {
            "" or "b" => 1L,
            "k" or "kb" or "kib" => 1L << 10,
            "m" or "mb" or "mib" => 1L << 20,
            "g" or "gb" or "gib" => 1L << 30,
            "t" or "tb" or "tib" => 1L << 40,
            _ => throw ComposeException.At(node, path, $"invalid size \"{text}\""),
        };
        return (long)(amount * multiplier);
    }
}
