using System.Text;
using System.Text.Json;

namespace Wharf.Cli.Parsing;

/// <summary>Turns repeated --filter k=v into docker's filters JSON: {"k":{"v":true}}.</summary>
internal static class FilterArgs
{
    public static string? ToJson(IReadOnlyList<string> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Count == 0)
        {
            return null;
        }

        var grouped = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var filter in filters)
        {
            var eq = filter.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new CliUsageException($"invalid argument \"{filter}\" for \"-f, --filter\" flag: bad format of filter (expected name=value)");
            }

            var key = filter[..eq].Trim().ToLowerInvariant();
            var value = filter[(eq + 1)..].Trim();
            if (!grouped.TryGetValue(key, out var values))
            {
                values = [];
                grouped[key] = values;
            }

            if (!values.Contains(value))
            {
                values.Add(value);
            }
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, values) in grouped)
            {
                writer.WriteStartObject(key);
                foreach (var value in values)
                {
                    writer.WriteBoolean(value, true);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
