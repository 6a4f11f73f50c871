namespace Wharf.EndToEnd.Tests.Fuzz;

/// <summary>A query parameter of Docker's Engine API spec: its name and declared type ("integer", "boolean", "string").</summary>
public sealed record QueryParameter(string Name, string Type);

/// <summary>The query parameters Docker's spec declares for each operation, read with the same line scan as the route
/// walker (the file's layout is fixed by Docker's style): "        - name: x" followed by "          in: query".</summary>
public static class SpecQueryParameters
{
    /// <summary>Keyed by "METHOD /path" with every placeholder written "{}" ("GET /containers/{}/logs").</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<QueryParameter>> Read(string specFile)
    {
        var result = new Dictionary<string, List<QueryParameter>>(StringComparer.Ordinal);
        var inPaths = false;
        string? path = null, key = null, name = null, location = null;
        void Flush(string? type)
        {
            if (key is not null && name is not null && location == "query")
            {
                if (!result.TryGetValue(key, out var list)) result[key] = list = [];
                if (!list.Any(p => p.Name == name)) list.Add(new QueryParameter(name, type ?? "string"));
            }
            name = null;
            location = null;
        }
        foreach (var line in File.ReadLines(specFile))
        {
            if (!line.StartsWith(' ') && line.Length > 0)
            {
                inPaths = line == "paths:";
                continue;
            }
            if (!inPaths) continue;
            if (line.StartsWith("  /", StringComparison.Ordinal) && line.EndsWith(':'))
            {
                Flush(null);
                path = line.Trim().TrimEnd(':');
                key = null;
            }
            else if (path is not null && line.Length > 4 && line[4] != ' ' && line.StartsWith("    ", StringComparison.Ordinal) && line.EndsWith(':'))
            {
                Flush(null);
                key = line.Trim().TrimEnd(':').ToUpperInvariant() + " " + Normalize(path);
            }
            else if (line.StartsWith("        - name: ", StringComparison.Ordinal))
            {
                Flush(null);
                name = Unquote(line["        - name: ".Length..]);
            }
            else if (name is not null && line.StartsWith("          in: ", StringComparison.Ordinal))
                location = Unquote(line["          in: ".Length..]);
            else if (name is not null && line.StartsWith("          type: ", StringComparison.Ordinal))
                Flush(Unquote(line["          type: ".Length..]));
        }
        Flush(null);
        return result.ToDictionary(p => p.Key, p => (IReadOnlyList<QueryParameter>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>"/containers/{id}/json" and "/containers/{name}/json" both become "/containers/{}/json".</summary>
    public static string Normalize(string pattern)
    {
        var segments = pattern.Split('/');
        for (var i = 0; i < segments.Length; i++)
            if (segments[i].StartsWith('{') && segments[i].EndsWith('}')) segments[i] = "{}";
        return string.Join('/', segments);
    }

    private static string Unquote(string text) => text.Trim().Trim('"');
}
