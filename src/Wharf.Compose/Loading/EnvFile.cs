using System.Text;

namespace Wharf.Compose.Loading;

/// <summary>Reads .env / env_file files: KEY=VALUE lines, "#" comments, optional "export ", single quotes
/// literal, double quotes with \n escapes, unquoted values end at " #". A bare KEY takes its value from
/// <c>lookup</c> (or is left out when unset).</summary>
public static class EnvFile
{
    public static List<KeyValuePair<string, string?>> Parse(string text, string file, Func<string, string?>? lookup = null)
    {
        var result = new List<KeyValuePair<string, string?>>();
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
                continue;
            }

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

                value = builder.ToString();
            }
            else
            {
                var hash = raw.IndexOf(" #", StringComparison.Ordinal);
                value = (hash >= 0 ? raw[..hash] : raw).TrimEnd();
            }

            result.Add(new(key, value));
        }

        return result;
    }
}
