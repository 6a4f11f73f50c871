using System.Net.Sockets;
using System.Text;
using Wharf.Api.Client;
using Wharf.Cli.Commands;
using Wharf.Cli.Contexts;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli;

/// <summary>Entry logic: global flags, command lookup (incl. "container x"/"image x" forms), docker-style errors.</summary>
internal static class CliApp
{
    public static CommandCatalog Catalog => CommandCatalog.Default;

    public static async Task<int> RunAsync(
        string[] args,
        TextWriter output,
        TextWriter error,
        Func<string, string?> environment,
        TimeProvider time,
        Func<Stream>? openStdin = null,
        Func<Stream>? openStdout = null,
        Func<Stream>? openStderr = null,
        bool stdoutIsTerminal = false,
        bool stderrIsTerminal = false,
        int terminalWidth = 0)
    {
        ArgumentNullException.ThrowIfNull(args);
        // Global flags come before the verb; find the verb by parsing only up to the first positional.
        ParsedArgs global;
        var verbIndex = GlobalOptions.CommandIndex(args);
        try
        {
            global = ArgParser.Parse(args[..verbIndex], GlobalOptions.All);
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

        if (verbIndex >= args.Length || global.Help || (args[verbIndex] == "help" && verbIndex + 1 >= args.Length))
        {
            await output.WriteAsync(HelpText.Root(Catalog)).ConfigureAwait(false);
            return 0;
        }

        // "wharf help ps" is "wharf ps --help".
        if (args[verbIndex] == "help")
        {
            args = [.. args[..verbIndex], .. args[(verbIndex + 1)..], "--help"];
        }

        if (Catalog.Resolve(args, verbIndex) is not { } resolved)
        {
            return await UnknownCommandAsync(args, verbIndex, output, error).ConfigureAwait(false);
        }

        var (command, commandPath, consumed) = resolved;
        var argStart = verbIndex + consumed;

        ParsedArgs parsed;
        try
        {
            parsed = ArgParser.Parse(args[argStart..], command.Options, command.StopAtFirstPositional);
        }
        catch (CliUsageException ex)
        {
            await error.WriteLineAsync($"{ex.Message}\nSee 'wharf {commandPath} --help'.").ConfigureAwait(false);
            return ex.ExitCode;
        }

        if (parsed.Help)
        {
            await output.WriteAsync(HelpText.Command(command, commandPath)).ConfigureAwait(false);
            return 0;
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
            if (command.NeedsDaemon)
            {
                await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return 1;
            }

            contextName = DockerContext.DefaultName;
            endpoint = DockerEndpoint.Default;
        }

        using var context = new CliContext(endpoint, output, error, time, environment)
        {
            Resolver = resolver,
            Global = global,
            ContextName = contextName,
            CommandPath = commandPath,
            OutIsTerminal = stdoutIsTerminal,
            ErrIsTerminal = stderrIsTerminal,
            TerminalWidth = terminalWidth,
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
            await error.WriteLineAsync($"{ex.Message}\nSee 'wharf {commandPath} --help'.").ConfigureAwait(false);
            return ex.ExitCode == 125 ? command.FailureExitCode : ex.ExitCode;
        }
        catch (EngineApiException ex)
        {
            await error.WriteLineAsync(DaemonError.Describe(ex.Message)).ConfigureAwait(false);
            return command.FailureExitCode;
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException || ex.HttpRequestError == HttpRequestError.ConnectionError)
        {
            await error.WriteLineAsync(CannotConnectMessage(endpoint, ex) + NamingContext(contextName)).ConfigureAwait(false);
            return command.FailureExitCode;
        }
        catch (SocketException ex)
        {
            await error.WriteLineAsync(CannotConnectMessage(endpoint, ex) + NamingContext(contextName)).ConfigureAwait(false);
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

    /// <summary>The connect failure with its cause, so the user knows what to fix: a permission problem (run as root or
    /// join the socket's group), a socket file that does not exist, or nothing listening on it.</summary>
    public static string CannotConnectMessage(DockerEndpoint endpoint, Exception failure, Func<string, string?>? readFile = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var socketError = failure as SocketException ?? failure?.InnerException as SocketException;
        if (socketError?.SocketErrorCode == SocketError.AccessDenied)
        {
            return $"permission denied while trying to connect to the Wharf daemon socket at {endpoint}: connect: permission denied"
                + SocketAccessHint.Describe(endpoint.SocketPath, readFile ?? SocketAccessHint.ReadFile);
        }

        var reason = endpoint.Kind == EndpointKind.Unix && !File.Exists(endpoint.SocketPath)
            ? $" (socket {endpoint.SocketPath} does not exist; start wharfd, or pick another daemon with -H, WHARF_HOST or --context)"
            : socketError?.SocketErrorCode == SocketError.ConnectionRefused ? " (connection refused: nothing is listening there)" : "";
        return CannotConnectMessage(endpoint) + reason;
    }

    /// <summary>A group alone ("wharf container") prints the group's help; anything else unknown is docker's error.</summary>
    private static async Task<int> UnknownCommandAsync(string[] args, int verbIndex, TextWriter output, TextWriter error)
    {
        var first = args[verbIndex];
        var isGroup = Catalog.Groups.Contains(first);
        if (isGroup && (verbIndex + 1 >= args.Length || args[verbIndex + 1] is "--help" or "-h"))
        {
            await output.WriteAsync(HelpText.Group(Catalog, first)).ConfigureAwait(false);
            return 0;
        }

        if (isGroup)
        {
            await error.WriteLineAsync($"wharf: unknown command: wharf {first} {args[verbIndex + 1]}\n\nUsage:  wharf {first}\n\nRun 'wharf {first} --help' for more information").ConfigureAwait(false);
            return 1;
        }

        await error.WriteLineAsync($"wharf: unknown command: wharf {first}\n\nRun 'wharf --help' for more information").ConfigureAwait(false);
        return 1;
    }
}
