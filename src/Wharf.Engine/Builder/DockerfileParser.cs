using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Wharf.Core.Errors;

namespace Wharf.Engine.Builder;

/// <summary>Dockerfile syntax: parser directives (# escape=, # syntax=) at the top, comments, line continuations
/// with the escape character, JSON (exec) form, leading --flags and heredocs (&lt;&lt;EOF, &lt;&lt;-EOF, quoted
/// delimiters disable expansion). Errors name the line, and everything is parsed before any step runs.</summary>
public static partial class DockerfileParser
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "FROM", "RUN", "CMD", "ENTRYPOINT", "ENV", "ARG", "LABEL", "EXPOSE", "WORKDIR", "USER", "VOLUME", "COPY", "ADD",
        "STOPSIGNAL", "HEALTHCHECK", "ONBUILD", "SHELL", "MAINTAINER",
    };

    public static IReadOnlyList<DockerfileInstruction> Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var escape = '\\';
        var index = 0;
        // Parser directives: only in leading comment lines, before anything else.
        for (; index < lines.Length; index++)
        {
            var match = DirectivePattern().Match(lines[index]);
            if (!match.Success) break;
            var name = match.Groups[1].Value.ToLowerInvariant();
            var value = match.Groups[2].Value.Trim();
            if (name == "escape")
            {
                if (value is not ("\\" or "`")) throw EngineException.Invalid($"invalid escape token '{value}' does not validate");
                escape = value[0];
            }
        }

        var result = new List<DockerfileInstruction>();
        while (index < lines.Length)
        {
            var startLine = index + 1;
            var raw = lines[index++];
            var trimmed = raw.TrimStart();
            if (trimmed.Length == 0 || trimmed[0] == '#') continue;
            var logical = new StringBuilder();
            var current = raw;
            while (true)
            {
                var body = current.TrimEnd();
                if (body.Length > 0 && body[^1] == escape)
                {
                    logical.Append(body, 0, body.Length - 1);
                    // Comment and empty lines inside a continuation are skipped, as Docker does.
                    while (index < lines.Length && (lines[index].TrimStart().StartsWith('#') || lines[index].Trim().Length == 0)) index++;
                    if (index >= lines.Length) break;
                    current = lines[index++];
                    continue;
                }
                logical.Append(current);
                break;
            }
            var line = logical.ToString().Trim();
            var space = line.IndexOfAny([' ', '\t']);
            var keyword = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var rest = space < 0 ? "" : line[(space + 1)..].Trim();
            if (!Known.Contains(keyword)) throw UnknownInstruction(startLine, space < 0 ? line : line[..space]);

            var flags = new Dictionary<string, string>(StringComparer.Ordinal);
            if (keyword is "COPY" or "ADD" or "RUN" or "FROM" or "HEALTHCHECK")
            {
                while (rest.StartsWith("--", StringComparison.Ordinal))
                {
                    var end = rest.IndexOfAny([' ', '\t']);
                    var flag = end < 0 ? rest : rest[..end];
                    rest = end < 0 ? "" : rest[end..].TrimStart();
                    var eq = flag.IndexOf('=', StringComparison.Ordinal);
                    flags[eq < 0 ? flag[2..] : flag[2..eq]] = eq < 0 ? "true" : flag[(eq + 1)..];
                }
            }

            var heredocs = new List<Heredoc>();
            if (keyword is "RUN" or "COPY" or "ADD")
            {
                foreach (Match m in HeredocPattern().Matches(rest))
                {
                    var stripTabs = m.Groups[1].Value == "-";
                    var quoted = m.Groups[2].Value.Length > 0;
                    var name = m.Groups[3].Value;
                    var bodyText = new StringBuilder();
                    var closed = false;
                    while (index < lines.Length)
                    {
                        var bodyLine = lines[index++];
                        if (stripTabs) bodyLine = bodyLine.TrimStart('\t');
                        if (bodyLine == name) { closed = true; break; }
                        bodyText.Append(bodyLine).Append('\n');
                    }
                    if (!closed) throw EngineException.Invalid($"dockerfile parse error on line {startLine}: unterminated heredoc {name}");
                    heredocs.Add(new Heredoc(name, bodyText.ToString(), Expand: !quoted));
                }
            }

            if (rest.Length == 0 && keyword is not ("HEALTHCHECK") && heredocs.Count == 0)
            {
                throw EngineException.Invalid($"dockerfile parse error on line {startLine}: {keyword} requires at least one argument");
            }
            var json = TryJsonArray(rest);
            if (keyword is "SHELL" && json is null) throw EngineException.Invalid($"dockerfile parse error on line {startLine}: SHELL requires the arguments to be in JSON form");
            Validate(keyword, rest, json, heredocs, startLine);
            result.Add(new DockerfileInstruction(keyword, flags, rest, json, heredocs, startLine) { Original = Echo(keyword, flags, rest) });
        }
        if (result.Count == 0) throw EngineException.Invalid("the Dockerfile (Dockerfile) cannot be empty");
        if (result.FirstOrDefault(i => i.Keyword != "ARG") is { Keyword: not "FROM" } first)
        {
            throw EngineException.Invalid($"dockerfile parse error on line {first.Line}: no build stage in current context");
        }
        return result;
    }

    /// <summary>The ONBUILD triggers of a base image as instructions (each one a Dockerfile line).</summary>
    public static IReadOnlyList<DockerfileInstruction> ParseTriggers(IReadOnlyList<string> triggers)
    {
        var result = new List<DockerfileInstruction>();
        foreach (var trigger in triggers) result.AddRange(Parse("FROM scratch\n" + trigger).Skip(1));
        return result;
    }

    /// <summary>Argument shapes checked up front, so a bad line fails the build before any step runs.</summary>
    private static void Validate(string keyword, string rest, List<string>? json, List<Heredoc> heredocs, int line)
    {
        switch (keyword)
        {
            case "FROM":
            {
                var words = rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (words.Length is not (1 or 3) || (words.Length == 3 && !words[1].Equals("AS", StringComparison.OrdinalIgnoreCase)))
                    throw EngineException.Invalid($"dockerfile parse error on line {line}: FROM requires either one or three arguments");
                break;
            }
            case "COPY" or "ADD":
            {
                var words = json ?? [.. rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith("<<", StringComparison.Ordinal))];
                if (words.Count + heredocs.Count < 2)
                    throw EngineException.Invalid($"dockerfile parse error on line {line}: {keyword} requires at least two arguments");
                break;
            }
            case "ONBUILD":
            {
                var space = rest.IndexOfAny([' ', '\t']);
                var inner = (space < 0 ? rest : rest[..space]).ToUpperInvariant();
                if (inner is "ONBUILD" or "FROM" or "MAINTAINER")
                    throw EngineException.Invalid($"dockerfile parse error on line {line}: {inner} isn't allowed as an ONBUILD trigger");
                if (!Known.Contains(inner))
                    throw UnknownInstruction(line, space < 0 ? rest : rest[..space]);
                break;
            }
            case "STOPSIGNAL":
                if (rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length != 1 && json is null)
                    throw EngineException.Invalid($"dockerfile parse error on line {line}: {keyword} requires exactly one argument");
                break;
        }
    }

    private static string Echo(string keyword, Dictionary<string, string> flags, string rest)
    {
        var text = new StringBuilder(keyword);
        foreach (var (k, v) in flags) text.Append(" --").Append(k).Append('=').Append(v);
        if (rest.Length > 0) text.Append(' ').Append(rest);
        return text.ToString();
    }

    private static List<string>? TryJsonArray(string text)
    {
        if (!text.StartsWith('[')) return null;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array) return null;
            var list = new List<string>();
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.String) return null;
                list.Add(element.GetString()!);
            }
            return list;
        }
        catch (JsonException)
        {
            return null; // not JSON: shell form, as Docker falls back
        }
    }

    [GeneratedRegex(@"^#\s*([A-Za-z]+)\s*=\s*(.*)$")]
    private static partial Regex DirectivePattern();

    [GeneratedRegex(@"<<(-?)([""']?)([A-Za-z_][A-Za-z0-9_]*)\2")]
    private static partial Regex HeredocPattern();

    /// <summary>The longest an instruction word is echoed (the longest real one, HEALTHCHECK, has 11 letters).</summary>
    private const int MaxEchoedWord = 32;

    /// <summary>Docker's "unknown instruction: WORD", echoing only the instruction-like start of the token: whatever
    /// is parsed as a Dockerfile may be some other file (a link the context should not have had, a wrong -f), and
    /// the error goes back to the client, so "root:*:19000:0:..." is shown as "root" and nothing of the rest.</summary>
    internal static EngineException UnknownInstruction(int line, string token)
    {
        var length = 0;
        while (length < token.Length && length < MaxEchoedWord && (char.IsAsciiLetterOrDigit(token[length]) || token[length] is '_' or '-'))
            length++;
        return EngineException.Invalid(length == 0
            ? $"dockerfile parse error on line {line}: unknown instruction"
            : $"dockerfile parse error on line {line}: unknown instruction: {token[..length]}");
    }
}
