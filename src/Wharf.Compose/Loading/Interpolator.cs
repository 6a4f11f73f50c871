using System.Text;
using Wharf.Compose.Yaml;

namespace Wharf.Compose.Loading;

/// <summary>Compose variable substitution: $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error},
/// ${VAR?error}, ${VAR:+replacement}, ${VAR+replacement} and $$ for a literal dollar. Defaults may nest.</summary>
public sealed class Interpolator
{
    private readonly Func<string, string?> _lookup;
    private readonly Action<string>? _unset;

    /// <param name="lookup">The variables.</param>
    /// <param name="unset">Told the name of each plain $VAR / ${VAR} that is not set, for Compose's warning.</param>
    public Interpolator(Func<string, string?> lookup, Action<string>? unset = null)
    {
        _lookup = lookup;
        _unset = unset;
    }

    private string Lookup(string name)
    {
        var value = _lookup(name);
        if (value is null)
        {
            _unset?.Invoke(name);
        }

        return value ?? "";
    }

    /// <summary>Substitutes every scalar value in the tree in place (keys are left alone, as Compose does).</summary>
    public void Apply(Node node, string path)
    {
        switch (node)
        {
            case ScalarNode scalar:
                scalar.Value = Substitute(scalar.Value, scalar, path);
                break;
            case SeqNode seq:
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    Apply(seq.Items[i], $"{path}[{i}]");
                }

                break;
            case MapNode map:
                foreach (var entry in map.Entries)
                {
                    Apply(entry.Value, path.Length == 0 ? entry.Key : path + "." + entry.Key);
                }

                break;
        }
    }

    public string Substitute(string text, Node? where = null, string path = "")
    {
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        var output = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '$')
            {
                output.Append(c);
                i++;
                continue;
            }

            if (i + 1 >= text.Length)
            {
                output.Append('$');
                i++;
            }
            else if (text[i + 1] == '$')
            {
                output.Append('$');
                i += 2;
            }
            else if (text[i + 1] == '{')
            {
                var close = FindClose(text, i + 2);
                if (close < 0)
                {
                    throw Fail(where, path, $"invalid interpolation format for \"{text}\": unterminated ${{");
                }

                output.Append(Expand(text[(i + 2)..close], text, where, path));
                i = close + 1;
            }
            else if (IsNameStart(text[i + 1]))
            {
                var end = i + 1;
                while (end < text.Length && IsNameChar(text[end]))
                {
                    end++;
                }

                output.Append(Lookup(text[(i + 1)..end]));
                i = end;
            }
            else
            {
                // compose-go's pattern does not match "$" before anything but a name, "{" or "$": it stays as is.
                output.Append('$');
                i++;
            }
        }

        return output.ToString();
    }

    private string Expand(string body, string whole, Node? where, string path)
    {
        var nameEnd = 0;
        while (nameEnd < body.Length && IsNameChar(body[nameEnd]))
        {
            nameEnd++;
        }

        if (nameEnd == 0 || !IsNameStart(body[0]))
        {
            throw Fail(where, path, $"invalid interpolation format for \"{whole}\"");
        }

        var name = body[..nameEnd];
        if (nameEnd == body.Length)
        {
            return Lookup(name);
        }

        var value = _lookup(name);

        var rest = body[nameEnd..];
        var colon = rest.StartsWith(':');
        var op = colon ? (rest.Length > 1 ? rest[1] : '\0') : rest[0];
        var argument = rest[(colon ? 2 : 1)..];
        // ":" forms treat an empty value like an unset one.
        var set = colon ? !string.IsNullOrEmpty(value) : value is not null;
        switch (op)
        {
            case '-':
                return set ? value! : Substitute(argument, where, path);
            case '+':
                return set ? Substitute(argument, where, path) : "";
            case '?':
                if (!set)
                {
                    var message = argument.Length > 0 ? ": " + Substitute(argument, where, path) : "";
                    throw Fail(where, path, $"required variable {name} is missing a value{message}");
                }

                return value!;
            default:
                throw Fail(where, path, $"invalid interpolation format for \"{whole}\"");
        }
    }

    private static int FindClose(string text, int start)
    {
        var depth = 1;
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] == '{' && i > 0 && text[i - 1] == '$')
            {
                depth++;
            }
            else if (text[i] == '}' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsNameStart(char c) => c == '_' || char.IsAsciiLetter(c);

    private static bool IsNameChar(char c) => c == '_' || char.IsAsciiLetterOrDigit(c);

    private static ComposeException Fail(Node? where, string path, string problem) =>
        where is null ? new ComposeException(problem) : ComposeException.At(where, path, problem);
}
