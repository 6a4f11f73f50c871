using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Wharf.Cli.Output;

/// <summary>
/// A small, reflection-free subset of Go's text/template as docker --format uses it, evaluated over JSON:
/// {{.A.B}}, {{.}}, {{json .X}}, {{upper|lower|title .X}}, {{join .X ","}}, {{index .X "k"}}, {{len .X}},
/// {{printf "%s" .X}}, {{.Label "k"}}, pipes (|), {{if}}/{{else}}/{{end}}, {{range [$k, $v :=] .X}}, $ variables.
/// Field lookups are exact first, then case-insensitive (so .ID finds "Id" and .Status finds "status").
/// </summary>
internal sealed class GoTemplate
{
    /// <summary>Go's parser refuses control structures nested deeper than this (text/template/parse maxStackDepth);
    /// the parser and the evaluator here recurse once per level, so an unbounded template overflowed the stack and
    /// killed the CLI instead of printing an error.</summary>
    private const int MaxDepth = 10000;

    private readonly List<Node> _nodes;

    private GoTemplate(List<Node> nodes)
    {
        _nodes = nodes;
    }

    public static GoTemplate Parse(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var tokens = Lex(template);
        var position = 0;
        var nodes = ParseList(tokens, ref position, out var terminator, depth: 0);
        if (terminator is not null)
        {
            throw new FormatException($"template: unexpected {{{{{terminator}}}}}");
        }

        return new GoTemplate(nodes);
    }

    /// <summary>Docker's preprocessing of --format: literal \t and \n become tab and newline.</summary>
    public static string Unescape(string format) => (format ?? "").Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal);

    public string Render(JsonElement data)
    {
        var output = new StringBuilder();
        var scope = new Dictionary<string, Value>(StringComparer.Ordinal) { ["$"] = Value.Of(data) };
        Execute(_nodes, Value.Of(data), scope, output);
        return output.ToString();
    }

    // ---------------------------------------------------------------- lexing / parsing

    private abstract record Node;

    private sealed record TextNode(string Text) : Node;

    private sealed record ActionNode(List<List<string>> Pipeline) : Node;

    private sealed record IfNode(List<List<string>> Condition, List<Node> Then, List<Node>? Else) : Node;

    private sealed record RangeNode(string? KeyVar, string? ValueVar, List<List<string>> Pipeline, List<Node> Body, List<Node>? Else) : Node;

    private sealed record Token(bool IsAction, string Text);

    private static List<Token> Lex(string template)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0)
            {
                tokens.Add(new Token(false, template[i..]));
                break;
            }

            var text = template[i..open];
            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException("template: unclosed action");
            }

            var inner = template[(open + 2)..close];
            if (inner.StartsWith('-'))
            {
                text = text.TrimEnd();
                inner = inner[1..];
            }

            var trimRight = inner.EndsWith('-');
            if (trimRight)
            {
                inner = inner[..^1];
            }

            if (text.Length > 0)
            {
                tokens.Add(new Token(false, text));
            }

            tokens.Add(new Token(true, inner.Trim()));
            i = close + 2;
            if (trimRight)
            {
                while (i < template.Length && char.IsWhiteSpace(template[i]))
                {
                    i++;
                }
            }
        }

        return tokens;
    }

    private static List<Node> ParseList(List<Token> tokens, ref int position, out string? terminator, int depth)
    {
        // The limit, or less when this thread's stack runs out first (a thread-pool thread has far less than main).
        if (depth >= MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new FormatException("template: max expression depth exceeded");
        }

        var nodes = new List<Node>();
        terminator = null;
        while (position < tokens.Count)
        {
            var token = tokens[position++];
            if (!token.IsAction)
            {
                nodes.Add(new TextNode(token.Text));
                continue;
            }

            var words = SplitWords(token.Text);
            if (words.Count == 0)
            {
                continue;
            }

            switch (words[0])
            {
                case "end":
                case "else":
                    terminator = words[0];
                    return nodes;
                case "if":
                {
                    var condition = SplitPipeline(words.Skip(1).ToList());
                    var then = ParseList(tokens, ref position, out var term, depth + 1);
                    List<Node>? otherwise = null;
                    if (term == "else")
                    {
                        otherwise = ParseList(tokens, ref position, out term, depth + 1);
                    }

                    if (term != "end")
                    {
                        throw new FormatException("template: missing {{end}} for {{if}}");
                    }

                    nodes.Add(new IfNode(condition, then, otherwise));
                    break;
                }

                case "range":
                {
                    var rest = words.Skip(1).ToList();
                    string? keyVar = null;
                    string? valueVar = null;
                    var assign = rest.IndexOf(":=");
                    if (assign >= 0)
                    {
                        var vars = rest.Take(assign).Where(w => w != ",").Select(w => w.TrimEnd(',')).ToList();
                        if (vars.Count == 1)
                        {
                            valueVar = vars[0];
                        }
                        else if (vars.Count == 2)
                        {
                            keyVar = vars[0];
                            valueVar = vars[1];
                        }

                        rest = rest.Skip(assign + 1).ToList();
                    }

                    var body = ParseList(tokens, ref position, out var term, depth + 1);
                    List<Node>? otherwise = null;
                    if (term == "else")
                    {
                        otherwise = ParseList(tokens, ref position, out term, depth + 1);
                    }

                    if (term != "end")
                    {
                        throw new FormatException("template: missing {{end}} for {{range}}");
                    }

                    nodes.Add(new RangeNode(keyVar, valueVar, SplitPipeline(rest), body, otherwise));
                    break;
                }

                default:
                    nodes.Add(new ActionNode(SplitPipeline(words)));
                    break;
            }
        }

        return nodes;
    }

    private static List<List<string>> SplitPipeline(List<string> words)
    {
        var pipeline = new List<List<string>> { new() };
        foreach (var word in words)
        {
            if (word == "|")
            {
                pipeline.Add([]);
            }
            else
            {
                pipeline[^1].Add(word);
            }
        }

        return pipeline;
    }

    /// <summary>Splits an action into words, keeping quoted strings (with their quotes) whole.</summary>
    private static List<string> SplitWords(string text)
    {
        var words = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c is '"' or '`')
            {
                var end = i + 1;
                while (end < text.Length && text[end] != c)
                {
                    end += text[end] == '\\' && c == '"' ? 2 : 1;
                }

                words.Add(text[i..Math.Min(end + 1, text.Length)]);
                i = end + 1;
                continue;
            }

            if (c is '|' or ',')
            {
                words.Add(c.ToString());
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not '|' and not ',')
            {
                i++;
            }

            words.Add(text[start..i]);
        }

        return words;
    }

    // ---------------------------------------------------------------- evaluation

    private readonly record struct Value(JsonElement? Json, string? Text, bool Missing)
    {
        public static Value Of(JsonElement json) => new(json, null, false);

        public static Value OfText(string text) => new(null, text, false);

        public static readonly Value None = new(null, null, true);
    }

    private static void Execute(List<Node> nodes, Value dot, Dictionary<string, Value> scope, StringBuilder output)
    {
        // Parsing bounded the nesting, but this may run on a thread with a smaller stack than the parse did.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new FormatException("template: exceeded maximum template depth");
        }

        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode text:
                    output.Append(text.Text);
                    break;
                case ActionNode action:
                    output.Append(Print(EvalPipeline(action.Pipeline, dot, scope)));
                    break;
                case IfNode ifNode:
                    Execute(IsTrue(EvalPipeline(ifNode.Condition, dot, scope)) ? ifNode.Then : ifNode.Else ?? [], dot, scope, output);
                    break;
                case RangeNode range:
                    ExecuteRange(range, dot, scope, output);
                    break;
            }
        }
    }

    private static void ExecuteRange(RangeNode range, Value dot, Dictionary<string, Value> scope, StringBuilder output)
    {
        var source = EvalPipeline(range.Pipeline, dot, scope);
        var items = new List<(Value Key, Value Item)>();
        if (source.Json is { ValueKind: JsonValueKind.Array } array)
        {
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                items.Add((Value.OfText((index++).ToString(CultureInfo.InvariantCulture)), Value.Of(item)));
            }
        }
        else if (source.Json is { ValueKind: JsonValueKind.Object } obj)
        {
            foreach (var property in obj.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                items.Add((Value.OfText(property.Name), Value.Of(property.Value)));
            }
        }

        if (items.Count == 0)
        {
            Execute(range.Else ?? [], dot, scope, output);
            return;
        }

        foreach (var (key, item) in items)
        {
            var inner = new Dictionary<string, Value>(scope, StringComparer.Ordinal);
            if (range.KeyVar is not null)
            {
                inner[range.KeyVar] = key;
            }

            if (range.ValueVar is not null)
            {
                inner[range.ValueVar] = item;
            }

            Execute(range.Body, item, inner, output);
        }
    }

    private static Value EvalPipeline(List<List<string>> pipeline, Value dot, Dictionary<string, Value> scope)
    {
        Value? previous = null;
        foreach (var command in pipeline)
        {
            previous = EvalCommand(command, dot, scope, previous);
        }

        return previous ?? Value.None;
    }

    private static Value EvalCommand(List<string> words, Value dot, Dictionary<string, Value> scope, Value? piped)
    {
        if (words.Count == 0)
        {
            throw new FormatException("template: empty command");
        }

        var head = words[0];
        var args = words.Skip(1).Where(w => w != ",").Select(w => EvalTerm(w, dot, scope)).ToList();
        if (piped is { } p)
        {
            args.Add(p);
        }

        if (head.StartsWith('.') || head.StartsWith('$') || head.StartsWith('"') || head.StartsWith('`') || char.IsAsciiDigit(head[0]))
        {
            // ".Label \"k\"" is docker's method on ps/image rows; Labels is "k=v,k2=v2" there or a map in inspect.
            if (head.EndsWith(".Label", StringComparison.Ordinal) && args.Count == 1)
            {
                return LabelLookup(EvalTerm(head[..^".Label".Length] + ".Labels", dot, scope), Print(args[0]));
            }

            return EvalTerm(head, dot, scope);
        }

        return head switch
        {
            "json" => Value.OfText(ToJson(Arg(args, 0))),
            "upper" => Value.OfText(Print(Arg(args, 0)).ToUpperInvariant()),
            "lower" => Value.OfText(Print(Arg(args, 0)).ToLowerInvariant()),
            "title" => Value.OfText(Title(Print(Arg(args, 0)))),
            "len" => Value.OfText(Length(Arg(args, 0)).ToString(CultureInfo.InvariantCulture)),
            "join" => Value.OfText(Join(Arg(args, 0), Print(Arg(args, 1)))),
            "index" => Index(Arg(args, 0), args.Skip(1).ToList()),
            "printf" => Value.OfText(Printf(Print(Arg(args, 0)), args.Skip(1).ToList())),
            "print" => Value.OfText(string.Concat(args.Select(Print))),
            "println" => Value.OfText(string.Join(' ', args.Select(Print)) + "\n"),
            "split" => SplitValue(Print(Arg(args, 0)), Print(Arg(args, 1))),
            "truncate" => Value.OfText(Truncate(Print(Arg(args, 0)), Print(Arg(args, 1)))),
            "not" => Value.OfText(IsTrue(Arg(args, 0)) ? "false" : "true"),
            "eq" => Value.OfText(Print(Arg(args, 0)) == Print(Arg(args, 1)) ? "true" : "false"),
            "ne" => Value.OfText(Print(Arg(args, 0)) != Print(Arg(args, 1)) ? "true" : "false"),
            _ => throw new FormatException($"template: function \"{head}\" not defined"),
        };
    }

    private static Value Arg(List<Value> args, int index) =>
        index < args.Count ? args[index] : throw new FormatException("template: wrong number of args");

    private static Value EvalTerm(string word, Value dot, Dictionary<string, Value> scope)
    {
        if (word.StartsWith('"'))
        {
            return Value.OfText(Regex_Unescape(word.Trim('"')));
        }

        if (word.StartsWith('`'))
        {
            return Value.OfText(word.Trim('`'));
        }

        if (char.IsAsciiDigit(word[0]) || (word[0] == '-' && word.Length > 1))
        {
            return Value.OfText(word);
        }

        Value current;
        string path;
        if (word.StartsWith('$'))
        {
            var dotIndex = word.IndexOf('.', StringComparison.Ordinal);
            var name = dotIndex < 0 ? word : word[..dotIndex];
            current = scope.TryGetValue(name, out var bound) ? bound : throw new FormatException($"template: undefined variable \"{name}\"");
            path = dotIndex < 0 ? "" : word[dotIndex..];
        }
        else
        {
            current = dot;
            path = word;
        }

        foreach (var field in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Field(current, field);
        }

        return current;
    }

    private static Value Field(Value value, string name)
    {
        if (value.Json is not { ValueKind: JsonValueKind.Object } obj)
        {
            return Value.None;
        }

        if (obj.TryGetProperty(name, out var exact))
        {
            return Value.Of(exact);
        }

        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return Value.Of(property.Value);
            }
        }

        return Value.None;
    }

    private static Value LabelLookup(Value labels, string key)
    {
        if (labels.Json is { ValueKind: JsonValueKind.Object })
        {
            var found = labels.Json.Value.TryGetProperty(key, out var v) ? v : default;
            return found.ValueKind == JsonValueKind.Undefined ? Value.OfText("") : Value.Of(found);
        }

        foreach (var pair in Print(labels).Split(','))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && pair[..eq] == key)
            {
                return Value.OfText(pair[(eq + 1)..]);
            }
        }

        return Value.OfText("");
    }

    private static Value Index(Value collection, List<Value> keys)
    {
        var current = collection;
        foreach (var key in keys)
        {
            var k = Print(key);
            if (current.Json is { ValueKind: JsonValueKind.Array } array
                && int.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out var i))
            {
                current = i < array.GetArrayLength() ? Value.Of(array[i]) : throw new FormatException($"template: index out of range: {i}");
            }
            else if (current.Json is { ValueKind: JsonValueKind.Object } obj)
            {
                current = obj.TryGetProperty(k, out var v) ? Value.Of(v) : Value.None;
            }
            else
            {
                current = Value.None;
            }
        }

        return current;
    }

    private static Value SplitValue(string text, string separator)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var part in text.Split(separator))
            {
                writer.WriteStringValue(part);
            }

            writer.WriteEndArray();
        }

        using var doc = JsonDocument.Parse(buffer.ToArray());
        return Value.Of(doc.RootElement.Clone());
    }

    private static string Truncate(string text, string length) =>
        int.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && text.Length > n ? text[..n] : text;

    private static int Length(Value value) => value.Json switch
    {
        { ValueKind: JsonValueKind.Array } a => a.GetArrayLength(),
        { ValueKind: JsonValueKind.Object } o => o.EnumerateObject().Count(),
        _ => Print(value).Length,
    };

    private static string Join(Value value, string separator) => value.Json is { ValueKind: JsonValueKind.Array } array
        ? string.Join(separator, array.EnumerateArray().Select(e => Print(Value.Of(e))))
        : Print(value);

    private static string Title(string text) => string.Join(' ', text.Split(' ').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));

    private static string Printf(string format, List<Value> args)
    {
        var output = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                output.Append(format[i]);
                continue;
            }

            var verb = format[++i];
            if (verb == '%')
            {
                output.Append('%');
                continue;
            }

            var arg = next < args.Count ? args[next++] : Value.None;
            output.Append(verb == 'q' ? "\"" + Print(arg) + "\"" : Print(arg));
        }

        return output.ToString();
    }

    private static string Regex_Unescape(string text) =>
        text.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal);

    private static bool IsTrue(Value value)
    {
        if (value.Missing)
        {
            return false;
        }

        if (value.Text is { } text)
        {
            return text.Length > 0 && text != "false";
        }

        var json = value.Json!.Value;
        return json.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.False or JsonValueKind.Undefined => false,
            JsonValueKind.String => json.GetString()!.Length > 0,
            JsonValueKind.Number => json.GetRawText() is not ("0" or "0.0"),
            JsonValueKind.Array => json.GetArrayLength() > 0,
            JsonValueKind.Object => json.EnumerateObject().Any(),
            _ => true,
        };
    }

    private static string ToJson(Value value)
    {
        if (value.Missing)
        {
            return "null";
        }

        if (value.Text is { } text)
        {
            return JsonSerializer.Serialize(text, Wharf.Api.ApiJsonContext.Default.String);
        }

        return JsonOutput.ToCompact(value.Json!.Value);
    }

    /// <summary>Go's default formatting: strings raw, maps as map[k:v], slices as [a b], null as &lt;nil&gt;.</summary>
    private static string Print(Value value)
    {
        if (value.Missing)
        {
            return "<no value>";
        }

        if (value.Text is { } text)
        {
            return text;
        }

        return PrintJson(value.Json!.Value);
    }

    private static string PrintJson(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => json.GetString()!,
        JsonValueKind.Number => json.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => "<nil>",
        JsonValueKind.Array => "[" + string.Join(' ', json.EnumerateArray().Select(PrintJson)) + "]",
        _ => "map[" + string.Join(' ', json.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Name + ":" + PrintJson(p.Value))) + "]",
    };
}
