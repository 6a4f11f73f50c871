using System.Text;

namespace Wharf.Compose.Loading;

/// <summary>Reads .env / env_file files: KEY=VALUE lines, "#" comments, optional "export ", single quotes
/// literal, double quotes with \n escapes, unquoted values end at " #". A bare KEY takes its value from
/// <c>lookup</c> (or is left out when unset). As in Compose, unquoted and double-quoted values are
/// interpolated (${VAR}, ${VAR:-default}, ...) from <c>lookup</c>, then from the file's earlier lines.</summary>
public static class EnvFile
{
    public static List<KeyValuePair<string, string?>> Parse(string text, string file, Func<string, string?>? lookup = null)
    {
        var result = new List<KeyValuePair<string, string?>>();
        var seen = new Dictionary<string, string?>(StringComparer.Ordinal);
        var interpolator = new Interpolator(name => lookup?.Invoke(name) ?? seen.GetValueOrDefault(name));
        string Interpolate(string value, int line)
        {
            try
            {
                return interpolator.Substitute(value);
            }
            catch (ComposeException ex)
            {
                throw new ComposeException($"{file}:{line}: {ex.Message}", ex);
            }
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line[7..].TrimStart();
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? line : line[..eq]).Trim();
            if (key.Length == 0 || key.Any(char.IsWhiteSpace))
            {
                throw new ComposeException($"{file}:{n + 1}: invalid variable name \"{key}\"");
            }

            if (eq < 0)
            {
                result.Add(new(key, lookup?.Invoke(key)));
                seen[key] = result[^1].Value;
                continue;
            }

            var firstLine = n + 1;

            var raw = line[(eq + 1)..].TrimStart();
            string value;
            if (raw.StartsWith('\'') && raw.IndexOf('\'', 1) is var sq && sq > 0)
            {
                value = raw[1..sq];
            }
            else if (raw.StartsWith('"'))
            {
                var builder = new StringBuilder();
                var i = 1;
                // A double-quoted value may run over several lines.
                while (true)
                {
                    if (i >= raw.Length)
                    {
                        if (n + 1 >= lines.Length)
                        {
                            throw new ComposeException($"{file}:{n + 1}: unterminated quoted value for {key}");
                        }

                        builder.Append('\n');
                        raw = lines[++n];
                        i = 0;
                        continue;
                    }

                    var c = raw[i];
                    if (c == '"')
                    {
                        break;
                    }

                    if (c == '\\' && i + 1 < raw.Length)
                    {
                        var next = raw[i + 1];
                        builder.Append(next switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => next });
                        i += 2;
                        continue;
                    }

                    builder.Append(c);
                    i++;
                }

                value = Interpolate(builder.ToString(), firstLine);
            }
            else
            {
                var hash = raw.IndexOf(" #", StringComparison.Ordinal);
                value = Interpolate((hash >= 0 ? raw[..hash] : raw).TrimEnd(), firstLine);
            }

            result.Add(new(key, value));
            seen[key] = value;
        }

        return result;
    }
}
