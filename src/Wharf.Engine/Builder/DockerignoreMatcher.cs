using System.Text;
using System.Text.RegularExpressions;

namespace Wharf.Engine.Builder;

/// <summary>.dockerignore rules: one pattern per line, '#' comments, Go filepath.Match syntax plus '**' for any
/// number of directories, '!' re-includes; the last matching rule wins; a pattern also excludes everything under a
/// matched directory. Paths are relative to the context root with '/' separators.</summary>
public sealed class DockerignoreMatcher
{
    private readonly List<(Regex Pattern, bool Exclude)> _rules = [];

    public DockerignoreMatcher(string? content)
    {
        foreach (var raw in (content ?? "").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var exclude = true;
            if (line[0] == '!')
            {
                exclude = false;
                line = line[1..].Trim();
            }
            line = Clean(line);
            if (line.Length == 0) continue;
            _rules.Add((new Regex("^" + ToRegex(line) + "(/.*)?$", RegexOptions.CultureInvariant), exclude));
        }
    }

    public bool IsEmpty => _rules.Count == 0;

    public bool IsExcluded(string relativePath)
    {
        var path = Clean(relativePath);
        var excluded = false;
        foreach (var (pattern, exclude) in _rules)
        {
            if (pattern.IsMatch(path)) excluded = exclude;
        }
        return excluded;
    }

    private static string Clean(string path)
    {
        var parts = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        return string.Join('/', parts);
    }

    private static string ToRegex(string pattern)
    {
        var result = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" matches zero or more directories; a trailing "**" matches everything.
                if (i + 2 < pattern.Length && pattern[i + 2] == '/') { result.Append("(.*/)?"); i += 2; }
                else { result.Append(".*"); i++; }
                continue;
            }
            switch (c)
            {
                case '*': result.Append("[^/]*"); break;
                case '?': result.Append("[^/]"); break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0) { result.Append("\\["); break; }
                    var set = pattern[(i + 1)..close];
                    if (set.StartsWith('!')) set = "^" + set[1..];
                    result.Append('[').Append(set.Replace("\\", "\\\\", StringComparison.Ordinal)).Append(']');
                    i = close;
                    break;
                case '\\' when i + 1 < pattern.Length:
                    result.Append(Regex.Escape(pattern[i + 1].ToString()));
                    i++;
                    break;
                default: result.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return result.ToString();
    }
}
