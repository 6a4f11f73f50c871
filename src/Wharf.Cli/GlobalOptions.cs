using Wharf.Api.Client;
using Wharf.Cli.Parsing;

namespace Wharf.Cli;

/// <summary>The flags that come before the command (docker's global options): declared once, used to find where
/// the command starts, to parse them, and to print them in help.</summary>
internal static class GlobalOptions
{
    public static IReadOnlyList<OptionSpec> All { get; } =
    [
        OptionSpec.Value("config", null, "Location of client config files (default \"~/.docker\")"),
        OptionSpec.Value("context", 'c', "Name of the context to use to connect to the daemon (overrides WHARF_HOST/DOCKER_HOST env var and default context set with \"wharf context use\")"),
        OptionSpec.Flag("debug", 'D', "Enable debug mode"),
        OptionSpec.Value("host", 'H', $"Daemon socket to connect to (default $WHARF_HOST, $DOCKER_HOST, {DockerEndpoint.DefaultAddress})", "list"),
        OptionSpec.Value("log-level", 'l', "Set the logging level (\"debug\", \"info\", \"warn\", \"error\", \"fatal\") (default \"info\")"),
        OptionSpec.Flag("tls", null, "Use TLS; implied by --tlsverify"),
        OptionSpec.Value("tlscacert", null, "Trust certs signed only by this CA (default \"~/.docker/ca.pem\")"),
        OptionSpec.Value("tlscert", null, "Path to TLS certificate file (default \"~/.docker/cert.pem\")"),
        OptionSpec.Value("tlskey", null, "Path to TLS key file (default \"~/.docker/key.pem\")"),
        OptionSpec.Flag("tlsverify", null, "Use TLS and verify the remote"),
        OptionSpec.Flag("version", 'v', "Print version information and quit"),
    ];

    /// <summary>Index of the first argument that is not a global option (or its value): where the command starts.</summary>
    public static int CommandIndex(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var index = 0;
        while (index < args.Count && args[index].Length > 1 && args[index][0] == '-')
        {
            var arg = args[index];
            if (arg == "--")
            {
                return index + 1;
            }

            index += TakesSeparateValue(arg) ? 2 : 1;
        }

        return Math.Min(index, args.Count);
    }

    /// <summary>"-H x", "--host x", "-lx" (value attached) and "--host=x" forms; combined short flags end with the valued one.</summary>
    private static bool TakesSeparateValue(string arg)
    {
        if (arg.StartsWith("--", StringComparison.Ordinal))
        {
            if (arg.Contains('=', StringComparison.Ordinal))
            {
                return false;
            }

            var name = arg[2..];
            return All.Any(o => o.Name == name && o.TakesValue);
        }

        // -Dl debug: the last letter may take the next argument, earlier ones take the rest of this argument.
        for (var i = 1; i < arg.Length; i++)
        {
            var spec = All.FirstOrDefault(o => o.Short == arg[i]);
            if (spec is { TakesValue: true })
            {
                return i == arg.Length - 1;
            }
        }

        return false;
    }
}
