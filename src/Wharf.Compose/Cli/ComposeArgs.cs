namespace Wharf.Compose.Cli;

/// <summary>pflag-style parsing for compose's own flags: --x=v, --x v, -x v, combined -dT, "--" ends
/// options. <c>positionalsBeforeRest</c> > 0 (exec/run): after that many positionals the rest is verbatim.</summary>
public sealed class ComposeArgs
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    public bool Help { get; private set; }

    public static ComposeArgs Parse(IReadOnlyList<string> args, IReadOnlyList<(string Long, char? Short, bool Value)> specs, int positionalsBeforeRest = 0)
    {
        var result = new ComposeArgs();
        var rest = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (rest || arg.Length < 2 || arg[0] != '-')
            {
                result.Positionals.Add(arg);
                if (positionalsBeforeRest > 0 && result.Positionals.Count >= positionalsBeforeRest)
                {
                    rest = true;
                }

                continue;
            }

            if (arg == "--")
            {
                rest = true;
                continue;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var body = arg[2..];
                var eq = body.IndexOf('=', StringComparison.Ordinal);
                var name = eq >= 0 ? body[..eq] : body;
                if (name == "help")
                {
                    result.Help = true;
                    continue;
                }

                var spec = specs.FirstOrDefault(s => s.Long == name);
                if (spec.Long is null)
                {
                    throw new ComposeUsageException($"unknown flag: --{name}");
                }

                if (eq >= 0)
                {
                    result.Add(name, body[(eq + 1)..]);
                }
                else if (spec.Value)
                {
                    result.Add(name, i + 1 < args.Count ? args[++i] : throw new ComposeUsageException($"flag needs an argument: --{name}"));
                }
                else
                {
                    result.Add(name, "true");
                }

                continue;
            }

            for (var j = 1; j < arg.Length; j++)
            {
                var letter = arg[j];
                var spec = specs.FirstOrDefault(s => s.Short == letter);
                if (spec.Long is null)
                {
                    if (letter == 'h')
                    {
                        result.Help = true;
                        continue;
                    }

                    throw new ComposeUsageException($"unknown shorthand flag: '{letter}' in {arg}");
                }

                if (!spec.Value)
                {
                    result.Add(spec.Long, "true");
                    continue;
                }

                var attached = arg[(j + 1)..].TrimStart('=');
                result.Add(spec.Long, attached.Length > 0 ? attached : i + 1 < args.Count ? args[++i] : throw new ComposeUsageException($"flag needs an argument: '{letter}' in {arg}"));
                break;
            }
        }

        if (result.Help)
        {
            throw new ComposeHelpRequest(specs);
        }

        return result;
    }

    private void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var list))
        {
            list = [];
            _values[name] = list;
        }

        list.Add(value);
    }

    public bool Flag(string name) => _values.TryGetValue(name, out var list) && list[^1] is not ("false" or "0");

    public string? Value(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var list) ? list : [];

    public int? Int(string name) => Value(name) is { } text
        ? (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : throw new ComposeUsageException($"invalid argument \"{text}\" for \"--{name}\""))
        : null;
}
