using System.Text;
using System.Text.Json;

namespace Wharf.Cli.Output;

/// <summary>Renders rows with a docker --format: "table ..." (aligned, with header), "json", or a plain template.</summary>
internal static class FormattedWriter
{
    public static string Render(string format, IReadOnlyDictionary<string, string> headers, IEnumerable<JsonElement> rows)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        if (format == "json")
        {
            format = "{{json .}}";
        }

        var isTable = format.StartsWith("table", StringComparison.Ordinal);
        var body = GoTemplate.Unescape(isTable ? format["table".Length..].Trim(' ') : format);
        if (isTable && body.Length == 0)
        {
            throw new FormatException("table format needs a template");
        }

        var template = GoTemplate.Parse(body);
        if (!isTable)
        {
            var plain = new StringBuilder();
            foreach (var row in rows)
            {
                plain.Append(template.Render(row)).Append('\n');
            }

            return plain.ToString();
        }

        var lines = new List<string>();
        var header = JsonOutput.ObjectOfStrings(headers);
        lines.AddRange(template.Render(header).Split('\n'));
        foreach (var row in rows)
        {
            lines.AddRange(template.Render(row).Split('\n'));
        }

        return TabTable.Format(lines);
    }
}
