using System.Text;
using System.Text.Json;
using Wharf.Compose.Yaml;

namespace Wharf.Compose.Output;

/// <summary>Writes a node tree as block-style YAML or as JSON (by hand: AOT-safe, stable output).</summary>
public static class NodeWriter
{
    public static string ToYaml(Node node)
    {
        var text = new StringBuilder();
        WriteYaml(node, text, 0, inSequence: false);
        return text.ToString();
    }

    public static string ToJson(Node node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteJson(node, writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteJson(Node node, Utf8JsonWriter writer)
    {
        switch (node)
        {
            case MapNode map:
                writer.WriteStartObject();
                foreach (var (k, v) in map.Entries)
                {
                    writer.WritePropertyName(k);
                    WriteJson(v, writer);
                }

                writer.WriteEndObject();
                break;
            case SeqNode seq:
                writer.WriteStartArray();
                foreach (var item in seq.Items)
                {
                    WriteJson(item, writer);
                }

                writer.WriteEndArray();
                break;
            case ScalarNode { Quoted: true } s:
                writer.WriteStringValue(s.Value);
                break;
            case ScalarNode s:
                // A plain scalar is a JSON literal only when it is one (null, true/false, a number); else a string.
                if (s.IsNull)
                {
                    writer.WriteNullValue();
                }
                else if (s.Value is "true" or "false")
                {
                    writer.WriteBooleanValue(s.Value == "true");
                }
                else if (double.TryParse(s.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)
                    && (char.IsAsciiDigit(s.Value[0]) || (s.Value[0] == '-' && s.Value.Length > 1 && char.IsAsciiDigit(s.Value[1]))) && !s.Value.EndsWith('.'))
                {
                    writer.WriteRawValue(s.Value);
                }
                else
                {
                    writer.WriteStringValue(s.Value);
                }

                break;
        }
    }

    private static void WriteYaml(Node node, StringBuilder text, int indent, bool inSequence)
    {
        var pad = new string(' ', indent);
        switch (node)
        {
            case MapNode map:
                if (map.Entries.Count == 0)
                {
                    text.Append("{}\n");
                    return;
                }

                var first = true;
                foreach (var (k, v) in map.Entries)
                {
                    // The first key of a mapping inside a sequence sits on the "- " line.
                    text.Append(first && inSequence ? "" : pad).Append(Scalar(k, quoted: true)).Append(':');
                    first = false;
                    WriteValue(v, text, indent);
                }

                break;
            case SeqNode seq:
                foreach (var item in seq.Items)
                {
                    text.Append(pad).Append("- ");
                    if (item is MapNode { Entries.Count: > 0 })
                    {
                        WriteYaml(item, text, indent + 2, inSequence: true);
                    }
                    else if (item is SeqNode { Items.Count: > 0 })
                    {
                        text.Append('\n');
                        WriteYaml(item, text, indent + 2, false);
                    }
                    else
                    {
                        text.Append(Inline(item)).Append('\n');
                    }
                }

                break;
            default:
                text.Append(Inline(node)).Append('\n');
                break;
        }
    }

    private static void WriteValue(Node value, StringBuilder text, int indent)
    {
        switch (value)
        {
            case MapNode { Entries.Count: > 0 }:
                text.Append('\n');
                WriteYaml(value, text, indent + 2, false);
                break;
            case SeqNode { Items.Count: > 0 }:
                text.Append('\n');
                WriteYaml(value, text, indent + 2, false);
                break;
            default:
                text.Append(' ').Append(Inline(value)).Append('\n');
                break;
        }
    }

    private static string Inline(Node node) => node switch
    {
        MapNode => "{}",
        SeqNode => "[]",
        ScalarNode s => s.Quoted ? Scalar(s.Value, true) : (s.IsNull ? "null" : s.Value),
        _ => "",
    };

    /// <summary>A string scalar, plain when YAML would read it back as the same string, else double-quoted.</summary>
    private static string Scalar(string value, bool quoted)
    {
        if (!quoted || IsPlainSafe(value))
        {
            return value;
        }

        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when c < ' ' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    private static bool IsPlainSafe(string value)
    {
        if (value.Length == 0 || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            return false;
        }

        if ("-?:,[]{}#&*!|>'\"%@`".Contains(value[0], StringComparison.Ordinal) && !(value[0] == '-' && value.Length > 1 && value[1] != ' ' && !char.IsAsciiDigit(value[1]) && value[1] != '.'))
        {
            return false;
        }

        if (value.Contains(": ", StringComparison.Ordinal) || value.Contains(" #", StringComparison.Ordinal) || value.EndsWith(':') || value.Any(c => c < ' '))
        {
            return false;
        }

        // Strings that YAML would read as something else: bools, null, numbers.
        var lower = value.ToLowerInvariant();
        if (lower is "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n" or "null" or "~")
        {
            return false;
        }

        return !double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)
            && !(value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || value.StartsWith("0o", StringComparison.OrdinalIgnoreCase))
            && !value.Contains(':', StringComparison.Ordinal) | !value.All(c => char.IsAsciiDigit(c) || c == ':');
    }
}
