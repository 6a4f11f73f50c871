using System.Globalization;
using System.Text.Json;
using Wharf.Core.Errors;
using Wharf.Core.Oci;

namespace Wharf.Engine.Images;

/// <summary>The HEALTHCHECK change line: <c>NONE</c>, or <c>[--interval=D] [--timeout=D] [--start-period=D]
/// [--start-interval=D] [--retries=N] CMD command</c> with the command in exec (JSON) or shell form.</summary>
internal static class HealthcheckInstruction
{
    public static ImageHealthcheck Parse(string args)
    {
        var rest = args.Trim();
        if (string.Equals(rest, "NONE", StringComparison.OrdinalIgnoreCase)) return new ImageHealthcheck { Test = ["NONE"] };
        var check = new ImageHealthcheck();
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            var end = rest.IndexOfAny([' ', '\t']);
            var flag = end < 0 ? rest : rest[..end];
            rest = end < 0 ? "" : rest[end..].TrimStart();
            var eq = flag.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0) throw EngineException.Invalid($"HEALTHCHECK flag {flag} needs a value");
            var name = flag[2..eq];
            var value = flag[(eq + 1)..];
            check = name switch
            {
                "interval" => check with { Interval = Nanoseconds(name, value) },
                "timeout" => check with { Timeout = Nanoseconds(name, value) },
                "start-period" => check with { StartPeriod = Nanoseconds(name, value) },
                "start-interval" => check with { StartInterval = Nanoseconds(name, value) },
                "retries" => check with { Retries = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw EngineException.Invalid($"invalid retries value: {value}") },
                _ => throw EngineException.Invalid($"Unknown flag: {name}"),
            };
        }
        var space = rest.IndexOfAny([' ', '\t']);
        var kind = space < 0 ? rest : rest[..space];
        if (!string.Equals(kind, "CMD", StringComparison.OrdinalIgnoreCase))
            throw EngineException.Invalid($"Unknown type \"{kind}\" in HEALTHCHECK (try CMD)");
        var command = space < 0 ? "" : rest[(space + 1)..].Trim();
        if (command.Length == 0) throw EngineException.Invalid("Missing command after HEALTHCHECK CMD");
        return check with { Test = ExecForm(command) is { } exec ? ["CMD", .. exec] : ["CMD-SHELL", command] };
    }

    private static List<string>? ExecForm(string command)
    {
        if (!command.StartsWith('[')) return null;
        try
        {
            using var document = JsonDocument.Parse(command);
            if (document.RootElement.ValueKind != JsonValueKind.Array) return null;
            var items = new List<string>();
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.String) return null;
                items.Add(element.GetString()!);
            }
            return items;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A Go duration ("30s", "1m30s", "500ms", "1.5s") in nanoseconds.</summary>
    internal static long Nanoseconds(string flag, string text)
    {
        long total = 0;
        var i = 0;
        if (text.Length == 0) throw BadDuration(flag, text);
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
            if (start == i || !double.TryParse(text[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                throw BadDuration(flag, text);
            var unitStart = i;
            while (i < text.Length && !char.IsAsciiDigit(text[i]) && text[i] != '.') i++;
            double scale = text[unitStart..i] switch
            {
                "h" => 3600e9,
                "m" => 60e9,
                "s" => 1e9,
                "ms" => 1e6,
                "us" or "µs" => 1e3,
                "ns" => 1,
                _ => throw BadDuration(flag, text),
            };
            total += (long)(number * scale);
        }
        return total;
    }

    private static EngineException BadDuration(string flag, string text) =>
        EngineException.Invalid($"invalid {flag} value: time: invalid duration \"{text}\"");
}
