using System.Text;
using Wharf.Compose.Yaml;

namespace Wharf.Compose.Loading;

/// <summary>Splits a command string into words the way a POSIX shell would for quoting (no expansion).</summary>
internal static class ShellWords
{
    public static List<string> Split(string text, Node? where = null, string path = "")
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\'')
            {
                if (c == '\'')
                {
                    quote = '\0';
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (quote == '"')
            {
                if (c == '"')
                {
                    quote = '\0';
                }
                else if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`')
                {
                    current.Append(text[++i]);
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                inWord = true;
                if (c is '\'' or '"')
                {
                    quote = c;
                }
                else if (c == '\\' && i + 1 < text.Length)
                {
                    current.Append(text[++i]);
                }
                else
                {
                    current.Append(c);
                }
            }
        }

        if (quote != '\0')
        {
            throw where is null ? new ComposeException($"unterminated quote in \"{text}\"") : ComposeException.At(where, path, $"unterminated quote in \"{text}\"");
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}
