using System.Text;
using Wharf.Core.Errors;

namespace Wharf.Engine.Builder;

/// <summary>Dockerfile variable substitution: $VAR, ${VAR}, ${VAR:-default}, ${VAR:+alternative} (also without the
/// colon), the escape character before '$' keeps it literal, and single quotes keep their content literal.</summary>
public static class VariableExpander
{
    public static string Expand(string text, Func<string, string?> lookup, char escape = '\\')
    {
        var result = new StringBuilder(text.Length);
        var inSingleQuotes = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == escape && i + 1 < text.Length && text[i + 1] == '$')
            {
                result.Append('$');
                i++;
                continue;
            }
            if (c == '\'' ) inSingleQuotes = !inSingleQuotes;
            if (c != '$' || inSingleQuotes || i + 1 >= text.Length)
            {
                result.Append(c);
                continue;
            }
            if (text[i + 1] == '{')
            {
                var close = FindClose(text, i + 2);
                if (close < 0) throw EngineException.Invalid($"missing '}}' in substitution: {text}");
                result.Append(Substitute(text[(i + 2)..close], lookup, escape));
                i = close;
                continue;
            }
            var start = i + 1;
            var end = start;
            while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_')) end++;
            if (end == start)
            {
                result.Append(c);
                continue;
            }
            result.Append(lookup(text[start..end]) ?? "");
            i = end - 1;
        }
        return result.ToString();
    }

    private static int FindClose(string text, int from)
    {
        var depth = 0;
        for (var i = from; i < text.Length; i++)
        {
            if (text[i] == '{') depth++;
            else if (text[i] == '}')
            {
                if (depth == 0) return i;
                depth--;
            }
        }
        return -1;
    }

    private static string Substitute(string expression, Func<string, string?> lookup, char escape)
    {
        var nameEnd = 0;
        while (nameEnd < expression.Length && (char.IsAsciiLetterOrDigit(expression[nameEnd]) || expression[nameEnd] == '_')) nameEnd++;
        var name = expression[..nameEnd];
        if (name.Length == 0) throw EngineException.Invalid($"bad substitution: ${{{expression}}}");
        var value = lookup(name);
        var rest = expression[nameEnd..];
        if (rest.Length == 0) return value ?? "";
        var colon = rest.StartsWith(':');
        var op = colon ? rest[1..] : rest;
        if (op.Length == 0) throw EngineException.Invalid($"bad substitution: ${{{expression}}}");
        var word = Expand(op[1..], lookup, escape);
        // With the colon an empty value counts as unset, as in the shell.
        var set = colon ? !string.IsNullOrEmpty(value) : value is not null;
        return op[0] switch
        {
            '-' => set ? value! : word,
            '+' => set ? word : "",
            _ => throw EngineException.Invalid($"unsupported modifier ({op[0]}) in substitution: ${{{expression}}}"),
        };
    }
}
