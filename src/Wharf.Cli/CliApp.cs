using System.Net.Sockets;
using System.Text;
using Wharf.Api.Client;
using Wharf.Cli.Commands;
using Wharf.Cli.Contexts;
using Wharf.Cli.Parsing;

namespace Wharf.Cli;

/// <summary>Entry logic: global flags, command lookup (incl. "container x"/"image x" forms), docker-style errors.</summary>
internal static class CliApp
{
    public static IReadOnlyList<ICommand> Commands { get; } =
    [
        new RunCommand(), new CreateCommand(), new StartCommand(), new StopCommand(), new RestartCommand(), new KillCommand(),
        new RmCommand(), new PsCommand(), new LogsCommand(), new WaitCommand(), new RenameCommand(),
        new InspectCommand("inspect", null), new InspectCommand("container inspect", "container"), new InspectCommand("image inspect", "image"),
        new ContainerPruneCommand(), new EventsCommand(), new ImportCommand(), new ImagesCommand(), new TagCommand(), new RmiCommand(),
        new PullCommand(), new VersionCommand(), new InfoCommand(),
        new ContextCreateCommand(), new ContextListCommand(), new ContextUseCommand(), new ContextInspectCommand(),
        new ContextRemoveCommand(), new ContextExportCommand(), new ContextImportCommand(), new TlsInitCommand(),
        new PauseCommand(), new UnpauseCommand(), new TopCommand(), new StatsCommand(), new UpdateCommand(),
        new PushCommand(), new LoginCommand(), new LogoutCommand(),
        .. ImageStoreCommands.All,
        new VolumeCreateCommand(), new VolumeLsCommand(), new VolumeInspectCommand(), new VolumeRmCommand(), new VolumePruneCommand(), new CpCommand(),
        new Commands.Network.NetworkCreateCommand(), new Commands.Network.NetworkLsCommand(), new Commands.Network.NetworkInspectCommand(),
        new Commands.Network.NetworkRmCommand(), new Commands.Network.NetworkConnectCommand(), new Commands.Network.NetworkDisconnectCommand(),
        new Commands.Network.NetworkPruneCommand(), new Commands.Network.PortCommand(),
        new ExecCommand(), new AttachCommand(),
        new Commands.Compose.ComposeCommand(), new Commands.Compose.ComposePluginMetadataCommand(),
    ];

    /// <summary>Management-command spellings mapped to the top-level verb that implements them.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["container ls"] = "ps", ["container list"] = "ps", ["container ps"] = "ps",
        ["container run"] = "run", ["container create"] = "create", ["container start"] = "start", ["container stop"] = "stop",
        ["container restart"] = "restart", ["container kill"] = "kill", ["container rm"] = "rm", ["container remove"] = "rm",
        ["container logs"] = "logs", ["container wait"] = "wait", ["container rename"] = "rename",
        ["container pause"] = "pause", ["container unpause"] = "unpause", ["container top"] = "top",
        ["container stats"] = "stats", ["container update"] = "update",
        ["container exec"] = "exec", ["container attach"] = "attach",
        ["image ls"] = "images", ["image list"] = "images", ["image rm"] = "rmi", ["image remove"] = "rmi", ["image tag"] = "tag",
        ["image import"] = "import", ["image pull"] = "pull", ["image push"] = "push", ["system info"] = "info", ["system events"] = "events",
        ["context list"] = "context ls", ["context remove"] = "context rm",
        ["network list"] = "network ls", ["network remove"] = "network rm", ["container port"] = "port",
    };

    private static readonly OptionSpec[] GlobalOptions =
    [
        OptionSpec.Value("host", 'H', "Daemon socket to connect to"),
        OptionSpec.Flag("debug", 'D', "Enable debug mode"),
        OptionSpec.Value("log-level", 'l', "Set the logging level"),
        OptionSpec.Value("config", null, "Location of client config files"),
        OptionSpec.Value("context", 'c', "Name of the context to use"),
        OptionSpec.Flag("version", 'v', "Print version information and quit"),
        OptionSpec.Flag("tls", null, "Use TLS; implied by --tlsverify"),
        OptionSpec.Flag("tlsverify", null, "Use TLS and verify the remote"),
        OptionSpec.Value("tlscacert", null, "Trust certs signed only by this CA"),
        OptionSpec.Value("tlscert", null, "Path to TLS certificate file"),
        OptionSpec.Value("tlskey", null, "Path to TLS key file"),
    ];

    public static async Task<int> RunAsync(
        string[] args,
        TextWriter output,
        TextWriter error,
        Func<string, string?> environment,
        TimeProvider time,
        Func<Stream>? openStdin = null,
        Func<Stream>? openStdout = null,
        Func<Stream>? openStderr = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        // Global flags come before the verb; find the verb by parsing only up to the first positional.
        ParsedArgs global;
        int verbIndex;
        try
        {
            (global, verbIndex) = ParseGlobal(args);
        }
        catch (CliUsageException ex)
        {
            await error.WriteLineAsync(ex.Message + "\nSee 'wharf --help'.").ConfigureAwait(false);
            return ex.ExitCode;
        }

        if (global.Flag("version"))
        {
            await output.WriteLineAsync($"Wharf version {CliVersion.Version}").ConfigureAwait(false);
            return 0;
        }

        if (verbIndex >= args.Length || global.Help || args[verbIndex] == "help")
        {
            await output.WriteAsync(MainHelp()).ConfigureAwait(false);
            return 0;
        }

        var (command, argStart) = Resolve(args, verbIndex);
        if (command is null)
        {
            await error.WriteLineAsync($"wharf: unknown command: wharf {string.Join(' ', args.Skip(verbIndex).Take(2))}\n\nRun 'wharf --help' for more information").ConfigureAwait(false);
            return 1;
        }

        DockerEndpoint endpoint;
        var resolver = new EndpointResolver(ContextStore.Open(global.Value("config"), environment), environment);
        string contextName;
        try
        {
            contextName = resolver.CurrentName(global);
            endpoint = resolver.ResolveContext(contextName, global);
        }
        catch (Exception ex) when (ex is FormatException or ContextException)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 1;
        }

        ParsedArgs parsed;
        try
        {
            parsed = ArgParser.Parse(args[argStart..], command.Options, command.StopAtFirstPositional);
        }
        catch (CliUsageException ex)
        {
            await error.WriteLineAsync($"{ex.Message}\nSee 'wharf {command.Name} --help'.").ConfigureAwait(false);
            return ex.ExitCode;
        }

        if (parsed.Help)
        {
            await output.WriteAsync(CommandHelp(command)).ConfigureAwait(false);
            return 0;
        }

        using var context = new CliContext(endpoint, output, error, time, environment)
        {
            Resolver = resolver,
            Global = global,
            ContextName = contextName,
            OpenStdin = openStdin ?? Console.OpenStandardInput,
            OpenStdout = openStdout ?? Console.OpenStandardOutput,
            OpenStderr = openStderr ?? Console.OpenStandardError,
        };
        try
        {
            return await command.ExecuteAsync(context, parsed, CancellationToken.None).ConfigureAwait(false);
        }
        catch (CliUsageException ex)
        {
            await error.WriteLineAsync($"{ex.Message}\nSee 'wharf {command.Name} --help'.").ConfigureAwait(false);
            return ex.ExitCode == 125 ? command.FailureExitCode : ex.ExitCode;
        }
        catch (EngineApiException ex)
        {
            await error.WriteLineAsync("Error response from daemon: " + ex.Message).ConfigureAwait(false);
            return command.FailureExitCode;
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException || ex.HttpRequestError == HttpRequestError.ConnectionError)
        {
            await error.WriteLineAsync(CannotConnectMessage(endpoint) + NamingContext(contextName)).ConfigureAwait(false);
            return command.FailureExitCode;
        }
        catch (SocketException)
        {
            await error.WriteLineAsync(CannotConnectMessage(endpoint) + NamingContext(contextName)).ConfigureAwait(false);
            return command.FailureExitCode;
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync("template parsing error: " + ex.Message).ConfigureAwait(false);
            return 1;
        }
        catch (ContextException ex)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 1;
        }
        catch (HttpRequestException ex) when (ex.InnerException is System.Security.Authentication.AuthenticationException auth)
        {
            await error.WriteLineAsync($"error during connect: {endpoint}: tls: {auth.Message}{NamingContext(contextName)}").ConfigureAwait(false);
            return command.FailureExitCode;
        }
        catch (System.Security.Authentication.AuthenticationException ex)
        {
            await error.WriteLineAsync($"error during connect: {endpoint}: tls: {ex.Message}{NamingContext(contextName)}").ConfigureAwait(false);
            return command.FailureExitCode;
        }
    }

    /// <summary>" (context "x")" when a named context was used, so a dead daemon is easy to place.</summary>
    private static string NamingContext(string contextName) =>
        contextName == DockerContext.DefaultName ? "" : $" (context \"{contextName}\")";

    public static string CannotConnectMessage(DockerEndpoint endpoint) =>
        $"Cannot connect to the Wharf daemon at {endpoint}. Is the wharf daemon running?";

    private static (ParsedArgs Global, int VerbIndex) ParseGlobal(string[] args)
    {
        var index = 0;
        while (index < args.Length && args[index].StartsWith('-') && args[index] != "-")
        {
            var arg = args[index];
            var takesValue = arg is "-H" or "--host" or "-l" or "--log-level" or "--config" or "-c" or "--context"
                or "--tlscacert" or "--tlscert" or "--tlskey";
            index += takesValue && !arg.Contains('=', StringComparison.Ordinal) ? 2 : 1;
        }

        var global = ArgParser.Parse(args[..Math.Min(index, args.Length)], GlobalOptions);
        return (global, index);
    }

    private static (ICommand? Command, int ArgStart) Resolve(string[] args, int verbIndex)
    {
        if (verbIndex + 1 < args.Length)
        {
            var twoWords = args[verbIndex] + " " + args[verbIndex + 1];
            var direct = Commands.FirstOrDefault(c => c.Name == twoWords);
            if (direct is not null)
            {
                return (direct, verbIndex + 2);
            }

            if (Aliases.TryGetValue(twoWords, out var target) || ImageStoreCommands.Aliases.TryGetValue(twoWords, out target))
            {
                return (Commands.First(c => c.Name == target), verbIndex + 2);
            }
        }

        var single = Commands.FirstOrDefault(c => c.Name == args[verbIndex]);
        return (single, verbIndex + 1);
    }

    private static string MainHelp()
    {
        var text = new StringBuilder();
        text.Append("\nUsage:  wharf [OPTIONS] COMMAND\n\nA Docker-compatible container engine\n\nCommands:\n");
        foreach (var command in Commands)
        {
            text.Append("  ").Append(command.Name.PadRight(18)).Append(command.Description).Append('\n');
        }

        text.Append("\nGlobal Options:\n");
        text.Append("  -H, --host string   Daemon socket to connect to (default $WHARF_HOST, $DOCKER_HOST, ")
            .Append(DockerEndpoint.DefaultAddress).Append(")\n");
        text.Append("  -c, --context string  Name of the context to use (default $WHARF_CONTEXT, $DOCKER_CONTEXT, config.json)\n");
        text.Append("      --config string   Location of client config files (default ~/.docker)\n");
        text.Append("      --tls             Use TLS; implied by --tlsverify\n");
        text.Append("      --tlscacert string  Trust certs signed only by this CA\n");
        text.Append("      --tlscert string  Path to TLS certificate file\n");
        text.Append("      --tlskey string   Path to TLS key file\n");
        text.Append("      --tlsverify       Use TLS and verify the remote ($DOCKER_TLS_VERIFY)\n");
        text.Append("  -v, --version       Print version information and quit\n");
        text.Append("\nRun 'wharf COMMAND --help' for more information on a command.\n");
        return text.ToString();
    }

    internal static string CommandHelp(ICommand command)
    {
        var text = new StringBuilder();
        text.Append("\nUsage:  wharf ").Append(command.Usage).Append("\n\n").Append(command.Description).Append('\n');
        if (command.Options.Count > 0)
        {
            text.Append("\nOptions:\n");
            foreach (var option in command.Options)
            {
                var flag = (option.Short is { } s ? $"-{s}, " : "    ") + "--" + option.Name + (option.TakesValue ? " string" : "");
                text.Append("  ").Append(flag.PadRight(28)).Append(option.Help).Append('\n');
            }
        }

        return text.ToString();
    }
}
