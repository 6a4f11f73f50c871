using System.Globalization;
using System.Text;
using System.Text.Json;
using Wharf.Core.Errors;
using Wharf.Core.Oci;

namespace Wharf.Engine.Images;

/// <summary>Applies Dockerfile-like change lines (as sent by <c>docker import -c</c> / <c>docker commit -c</c>)
/// to an image's container defaults.</summary>
internal static class ImageChanges
{
    public static ContainerDefaults Apply(ContainerDefaults start, IReadOnlyList<string> changes)
    {
        var config = start;
        var cmdSet = false;
        foreach (var raw in changes)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var space = line.IndexOfAny([' ', '\t']);
            var instruction = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var args = space < 0 ? "" : line[(space + 1)..].Trim();
            if (args.Length == 0) throw EngineException.Invalid($"{instruction} requires at least one argument");
            switch (instruction)
            {
                case "CMD":
                    config = config with { Cmd = CommandForm(args) };
                    cmdSet = true;
                    break;
                case "ENTRYPOINT":
                    // As in a Dockerfile, a new entrypoint drops an inherited CMD unless CMD was given too.
                    config = config with { Entrypoint = CommandForm(args), Cmd = cmdSet ? config.Cmd : null };
                    break;
                case "ENV":
                    config = config with { Env = MergeEnv(config.Env, KeyValues(instruction, args)) };
                    break;
                case "LABEL":
                    var labels = new Dictionary<string, string>(config.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
                    foreach (var (key, value) in KeyValues(instruction, args)) labels[key] = value;
                    config = config with { Labels = labels };
                    break;
                case "EXPOSE":
                    var ports = new Dictionary<string, EmptyObject>(config.ExposedPorts ?? new Dictionary<string, EmptyObject>(), StringComparer.Ordinal);
                    foreach (var spec in Words(args)) foreach (var port in ExpandPorts(spec)) ports[port] = new EmptyObject();
                    config = config with { ExposedPorts = ports };
                    break;
                case "VOLUME":
                    var volumes = new Dictionary<string, EmptyObject>(config.Volumes ?? new Dictionary<string, EmptyObject>(), StringComparer.Ordinal);
                    foreach (var volume in TryJsonArray(args) ?? Words(args))
                    {
                        if (string.IsNullOrWhiteSpace(volume)) throw EngineException.Invalid("VOLUME specified can not be an empty string");
                        volumes[volume] = new EmptyObject();
                    }
                    config = config with { Volumes = volumes };
                    break;
                case "USER":
                    config = config with { User = args };
                    break;
                case "WORKDIR":
                    config = config with { WorkingDir = JoinWorkdir(config.WorkingDir, args) };
                    break;
                case "STOPSIGNAL":
                    config = config with { StopSignal = args };
                    break;
                case "HEALTHCHECK":
                    config = config with { Healthcheck = HealthcheckInstruction.Parse(args) };
                    break;
                case "ONBUILD":
                    config = config with { OnBuild = [.. config.OnBuild ?? [], args] };
                    break;
                default:
                    throw EngineException.Invalid($"{instruction} is not a valid change command");
            }
        }
        return config;
    }

    // JSON (exec) form when it parses as an array of strings, otherwise shell form run by /bin/sh -c.
    private static IReadOnlyList<string> CommandForm(string args) => TryJsonArray(args) ?? ["/bin/sh", "-c", args];

    private static List<string>? TryJsonArray(string args)
    {
        if (!args.StartsWith('[')) return null;
        try
        {
            using var document = JsonDocument.Parse(args);
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

    private static List<(string Key, string Value)> KeyValues(string instruction, string args)
    {
        var words = Words(args);
        var pairs = new List<(string, string)>();
        if (!words[0].Contains('=', StringComparison.Ordinal))
        {
            // Legacy form "ENV KEY value with spaces": one key, the rest of the line is the value.
            var space = args.IndexOfAny([' ', '\t']);
            if (space < 0) throw EngineException.Invalid($"{instruction} must have two arguments");
            pairs.Add((words[0], Unquote(args[(space + 1)..].Trim())));
            return pairs;
        }
        foreach (var word in words)
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0) throw EngineException.Invalid($"Syntax error - can't find = in \"{word}\". Must be of the form: name=value");
            if (equals == 0) throw EngineException.Invalid($"{instruction} names can not be blank");
            pairs.Add((word[..equals], word[(equals + 1)..]));
        }
        return pairs;
    }

    private static List<string> MergeEnv(IReadOnlyList<string>? env, List<(string Key, string Value)> updates)
    {
        var merged = env is null ? new List<string>() : [.. env];
        foreach (var (key, value) in updates)
        {
            var entry = key + "=" + value;
            var index = merged.FindIndex(e => e.StartsWith(key + "=", StringComparison.Ordinal) || e == key);
            if (index >= 0) merged[index] = entry;
            else merged.Add(entry);
        }
        return merged;
    }

    private static IEnumerable<string> ExpandPorts(string spec)
    {
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        var protocol = slash < 0 ? "tcp" : spec[(slash + 1)..].ToLowerInvariant();
        var range = slash < 0 ? spec : spec[..slash];
        if (protocol is not ("tcp" or "udp" or "sctp")) throw EngineException.Invalid($"invalid proto: {protocol}");
        var dash = range.IndexOf('-', StringComparison.Ordinal);
        var first = ParsePort(dash < 0 ? range : range[..dash], spec);
        var last = dash < 0 ? first : ParsePort(range[(dash + 1)..], spec);
        if (last < first) throw EngineException.Invalid($"invalid range specified for port: {spec}");
        for (var port = first; port <= last; port++) yield return $"{port}/{protocol}";
    }

    private static int ParsePort(string text, string spec) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw EngineException.Invalid($"invalid containerPort: {spec}");

    private static string JoinWorkdir(string? current, string workdir)
    {
        var joined = workdir.StartsWith('/') ? workdir : "/" + (current ?? "").Trim('/') + "/" + workdir;
        var parts = new List<string>();
        foreach (var part in joined.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }

    private static string Unquote(string value)
    {
        var words = Words(value);
        return words.Count == 1 && value.Length > 0 && (value[0] == '"' || value[0] == '\'') ? words[0] : value;
    }

    /// <summary>Splits on unquoted whitespace; double quotes allow backslash escapes, single quotes are literal.</summary>
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(current.ToString());
                current.Clear();
                inWord = false;
                continue;
            }
            inWord = true;
            if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
            }
            else if (c is '"' or '\'')
            {
                var end = i + 1;
                for (; end < text.Length && text[end] != c; end++)
                {
                    if (c == '"' && text[end] == '\\' && end + 1 < text.Length) end++;
                    current.Append(text[end]);
                }
                if (end >= text.Length) throw EngineException.Invalid($"unexpected end of statement while looking for matching {c}");
                i = end;
            }
            else
            {
                current.Append(c);
            }
        }
        if (inWord) words.Add(current.ToString());
        return words;
    }
}
