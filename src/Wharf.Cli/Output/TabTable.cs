using System.Text;

namespace Wharf.Cli.Output;

/// <summary>
/// Aligns tab-separated lines like Go's text/tabwriter as docker configures it (minwidth 10, padding 3,
/// space padding): every tab-terminated cell is padded to max(widest cell in its column block + 3, 10);
/// the text after the last tab is not aligned. Column blocks are runs of consecutive lines that have the column.
/// </summary>
internal static class TabTable
{
    public const int MinWidth = 10;
    public const int Padding = 3;

    public static string Format(IReadOnlyList<string> lines, int minWidth = MinWidth, int padding = Padding)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var cells = lines.Select(l => l.Split('\t')).ToArray();
        // widths[line][col] for terminated cells (all but the last piece of a line).
        var widths = cells.Select(c => new int[Math.Max(0, c.Length - 1)]).ToArray();
        var maxColumns = widths.Length == 0 ? 0 : widths.Max(w => w.Length);
        for (var col = 0; col < maxColumns; col++)
        {
            var line = 0;
            while (line < cells.Length)
            {
                if (widths[line].Length <= col)
                {
                    line++;
                    continue;
                }

                var start = line;
                var width = 0;
                while (line < cells.Length && widths[line].Length > col)
                {
                    width = Math.Max(width, DisplayWidth(cells[line][col]));
                    line++;
                }

                var padded = Math.Max(width + padding, minWidth);
                for (var k = start; k < line; k++)
                {
                    widths[k][col] = padded;
                }
            }
        }

        var output = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            for (var col = 0; col < cells[i].Length; col++)
            {
                var text = cells[i][col];
                output.Append(text);
                if (col < widths[i].Length)
                {
                    output.Append(' ', widths[i][col] - DisplayWidth(text));
                }
            }

            output.Append('\n');
        }

        return output.ToString();
    }

    private static int DisplayWidth(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
