namespace Wharf.Cli.Parsing;

/// <summary>
/// Docker/pflag-style argument parsing without reflection: combined short flags (-dit), short flags with
/// attached values (-eA=1), --flag=value and --flag value, "--" to end options, and optionally stopping
/// at the first positional (run/create/exec: everything after the image belongs to the container).
/// </summary>
internal static class ArgParser
{
    public static ParsedArgs Parse(IReadOnlyList<string> args, IReadOnlyList<OptionSpec> specs, bool stopAtFirstPositional = false)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(specs);
        var result = new ParsedArgs();
        var optionsDone = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (optionsDone || arg.Length < 2 || arg[0] != '-')
            {
                // A lone "-" is a positional (stdin), like docker import -.
                result.Positionals.Add(arg);
                if (stopAtFirstPositional)
                {
                    optionsDone = true;
                }

                continue;
            }

            if (arg == "--")
            {
                optionsDone = true;
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

                var spec = specs.FirstOrDefault(s => s.Name == name) ?? throw new CliUsageException($"unknown flag: --{name}");
                if (eq >= 0)
                {
                    result.Add(spec.Name, body[(eq + 1)..]);
                }
                else if (spec.TakesValue)
                {
                    if (i + 1 >= args.Count)
                    {
                        throw new CliUsageException($"flag needs an argument: --{name}");
                    }

                    result.Add(spec.Name, args[++i]);
                }
                else
                {
                    result.Add(spec.Name, "true");
                }

                continue;
            }

            // Short flags, possibly combined: -dit, -p8080:80, -e A=1
            for (var j = 1; j < arg.Length; j++)
            {
                var letter = arg[j];
                var spec = specs.FirstOrDefault(s => s.Short == letter);
                if (spec is null)
                {
                    if (letter == 'h')
                    {
                        result.Help = true;
                        continue;
                    }

                    throw new CliUsageException($"unknown shorthand flag: '{letter}' in {arg}");
                }

                if (!spec.TakesValue)
                {
                    if (j + 1 < arg.Length && arg[j + 1] == '=')
                    {
                        result.Add(spec.Name, arg[(j + 2)..]);
                        break;
                    }

                    result.Add(spec.Name, "true");
                    continue;
                }

                var rest = arg[(j + 1)..];
                if (rest.Length > 0)
                {
                    result.Add(spec.Name, rest.StartsWith('=') ? rest[1..] : rest);
                }
                else if (i + 1 < args.Count)
                {
                    result.Add(spec.Name, args[++i]);
                }
                else
                {
                    throw new CliUsageException($"flag needs an argument: '{letter}' in -{letter}");
                }

                break;
            }
        }

        return result;
    }
}
