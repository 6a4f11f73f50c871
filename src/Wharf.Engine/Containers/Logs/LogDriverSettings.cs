using System.Globalization;
using System.Text.RegularExpressions;
using Wharf.Core.Errors;

namespace Wharf.Engine.Containers.Logs;

/// <summary>A container's logging driver and its options, validated as Docker validates them. Three drivers:
/// "json-file" (Docker's format, &lt;id&gt;-json.log), "local" (Docker's framed protobuf records, see
/// Core.Logs.LocalLogCodec, in &lt;container dir&gt;/local-logs/container.log, rotated by default at 20 MB x 5 files,
/// compressed) and "none".</summary>
public sealed record LogDriverSettings(string Driver, long MaxSize, int MaxFiles, bool Compress)
{
    public const string JsonFile = "json-file";
    public const string Local = "local";
    public const string None = "none";

    private const long LocalDefaultMaxSize = 20L * 1024 * 1024;
    private const int LocalDefaultMaxFiles = 5;

    private static readonly string[] JsonFileOptions = ["max-file", "max-size", "compress", "labels", "labels-regex", "env", "env-regex", "tag"];
    private static readonly string[] LocalOptions = ["max-file", "max-size", "compress"];

    /// <summary>Throws InvalidArgument with Docker's wording for an unknown driver or option, or a bad value.</summary>
    public static LogDriverSettings Parse(string driver, IReadOnlyDictionary<string, string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch (driver)
        {
            case None:
                return new LogDriverSettings(None, 0, 1, false);
            case JsonFile:
            case Local:
                var allowed = driver == JsonFile ? JsonFileOptions : LocalOptions;
                foreach (var key in options.Keys)
                {
                    if (!allowed.Contains(key))
                        throw EngineException.Invalid(driver == JsonFile
                            ? $"unknown log opt '{key}' for json-file log driver"
                            : $"unknown log opt '{key}' for log driver local");
                }
                var local = driver == Local;
                long maxSize = local ? LocalDefaultMaxSize : 0;
                if (options.TryGetValue("max-size", out var sizeText))
                {
                    maxSize = ParseSize(sizeText);
                    if (maxSize <= 0) throw EngineException.Invalid("max-size must be a positive number");
                }
                var maxFiles = local ? LocalDefaultMaxFiles : 1;
                if (options.TryGetValue("max-file", out var filesText))
                {
                    if (!int.TryParse(filesText, NumberStyles.Integer, CultureInfo.InvariantCulture, out maxFiles))
                        throw EngineException.Invalid($"invalid value for max-file: {filesText}");
                    if (maxFiles < 1) throw EngineException.Invalid("max-file cannot be less than 1");
                }
                var compress = local;
                if (options.TryGetValue("compress", out var compressText))
                {
                    compress = compressText switch
                    {
                        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
                        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
                        _ => throw EngineException.Invalid($"error reading compress log option: strconv.ParseBool: parsing \"{compressText}\": invalid syntax"),
                    };
                }
                if (compress && maxFiles == 1 && driver == JsonFile && options.ContainsKey("compress"))
                    throw EngineException.Invalid("compress cannot be true when max-file is less than 2");
                return new LogDriverSettings(driver, maxSize, maxFiles, compress);
            default:
                throw EngineException.Invalid($"logger: no log driver named '{driver}' is registered");
        }
    }

    /// <summary>Docker's RAMInBytes: "10", "10k", "10kb", "1.5m", "2g" (binary multiples, case-insensitive).</summary>
    public static long ParseSize(string text)
    {
        var match = Regex.Match(text.Trim(), @"^(\d+(?:\.\d+)?)\s*([kKmMgGtTpP]?)[iI]?[bB]?$");
        if (!match.Success || !decimal.TryParse(match.Groups[1].Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
            throw EngineException.Invalid($"invalid size: '{text}'");
        var multiplier = char.ToLowerInvariant(match.Groups[2].Value.FirstOrDefault()) switch
        {
            'k' => 1024m,
            'm' => 1024m * 1024,
            'g' => 1024m * 1024 * 1024,
            't' => 1024m * 1024 * 1024 * 1024,
            'p' => 1024m * 1024 * 1024 * 1024 * 1024,
            _ => 1m,
        };
        return (long)(number * multiplier);
    }

    /// <summary>The extra attributes json-file writes on each line (--log-opt labels/labels-regex/env/env-regex),
    /// sorted by key, from the container's labels and environment.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Attributes(IReadOnlyDictionary<string, string> options, IReadOnlyDictionary<string, string> labels, IEnumerable<string> env)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(env);
        var attrs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var envMap = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in env)
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) envMap[entry[..eq]] = entry[(eq + 1)..];
        }
        AddListed(attrs, options.GetValueOrDefault("labels"), labels);
        AddMatching(attrs, options.GetValueOrDefault("labels-regex"), labels);
        AddListed(attrs, options.GetValueOrDefault("env"), envMap);
        AddMatching(attrs, options.GetValueOrDefault("env-regex"), envMap);
        return [.. attrs];
    }

    /// <summary>Encodes attributes for the shim's --log-attrs ("k=v&amp;k2=v2", each part URL-encoded).</summary>
    public static string? EncodeAttributes(IReadOnlyList<KeyValuePair<string, string>> attrs) =>
        attrs.Count == 0 ? null : string.Join('&', attrs.Select(a => Uri.EscapeDataString(a.Key) + "=" + Uri.EscapeDataString(a.Value)));

    private static void AddListed(SortedDictionary<string, string> attrs, string? list, IReadOnlyDictionary<string, string> source)
    {
        foreach (var key in (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (source.TryGetValue(key, out var value)) attrs[key] = value;
    }

    private static void AddMatching(SortedDictionary<string, string> attrs, string? pattern, IReadOnlyDictionary<string, string> source)
    {
        if (string.IsNullOrEmpty(pattern)) return;
        Regex regex;
        try
        {
            regex = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw EngineException.Invalid($"invalid regex {pattern}: {e.Message}");
        }
        foreach (var (key, value) in source)
            if (regex.IsMatch(key)) attrs[key] = value;
    }
}
