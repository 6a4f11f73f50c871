using System.Text;

namespace Wharf.Architecture.Tests;

/// <summary>Reduces C# source to its code: comments and the contents of string and char literals become
/// spaces (newlines kept, so line numbers still match). Without this, a comment such as "thread-unsafe"
/// or a log message mentioning DllImport would break the interop rule.</summary>
internal static class CSharpCode
{
    public static string StripCommentsAndLiterals(string source)
    {
        var output = new StringBuilder(source.Length);
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            var next = i + 1 < source.Length ? source[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                i = BlankUntil(source, i, output, source.IndexOf('\n', i) is var nl && nl >= 0 ? nl : source.Length);
            }
            else if (c == '/' && next == '*')
            {
                var close = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = BlankUntil(source, i, output, close >= 0 ? close + 2 : source.Length);
            }
            else if (c == '\'')
            {
                i = BlankUntil(source, i, output, EndOfQuoted(source, i + 1, '\'', verbatim: false));
            }
            else if (TryStringStart(source, i, out var contentStart, out var quoteRun, out var verbatim))
            {
                // The $/@ prefix and the opening quotes are kept; only the contents are blanked.
                output.Append(source, i, contentStart - i);
                var end = quoteRun >= 3
                    ? EndOfRawString(source, contentStart, quoteRun)
                    : EndOfQuoted(source, contentStart, '"', verbatim);
                i = BlankUntil(source, contentStart, output, end);
            }
            else
            {
                output.Append(c);
                i++;
            }
        }

        return output.ToString();
    }

    private static bool TryStringStart(string source, int i, out int contentStart, out int quoteRun, out bool verbatim)
    {
        var j = i;
        verbatim = false;
        // Prefixes: $, @, $@, @$, $$ (raw interpolation), in any order, before the quotes.
        while (j < source.Length && (source[j] == '$' || source[j] == '@'))
        {
            verbatim |= source[j] == '@';
            j++;
        }

        quoteRun = 0;
        while (j + quoteRun < source.Length && source[j + quoteRun] == '"')
        {
            quoteRun++;
        }

        contentStart = j + (quoteRun >= 3 ? quoteRun : Math.Min(quoteRun, 1));
        if (quoteRun == 2)
        {
            // "" is an empty string, not the start of a raw literal.
            quoteRun = 1;
        }

        return quoteRun > 0;
    }

    private static int EndOfQuoted(string source, int start, char quote, bool verbatim)
    {
        for (var i = start; i < source.Length; i++)
        {
            if (!verbatim && source[i] == '\\')
            {
                i++;
            }
            else if (source[i] == quote)
            {
                if (verbatim && i + 1 < source.Length && source[i + 1] == quote)
                {
                    i++;
                    continue;
                }

                return i + 1;
            }
            else if (!verbatim && source[i] == '\n')
            {
                // Unterminated literal: stop at the line end rather than swallow the file.
                return i;
            }
        }

        return source.Length;
    }

    private static int EndOfRawString(string source, int start, int quoteRun)
    {
        var closing = new string('"', quoteRun);
        var close = source.IndexOf(closing, start, StringComparison.Ordinal);
        return close >= 0 ? close + quoteRun : source.Length;
    }

    private static int BlankUntil(string source, int from, StringBuilder output, int to)
    {
        for (var i = from; i < to; i++)
        {
            output.Append(source[i] is '\n' or '\r' ? source[i] : ' ');
        }

        return to;
    }
}
