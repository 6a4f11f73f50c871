using System.Text;
using Wharf.Api.Client;
using Wharf.Compose.Engine;
using Wharf.Compose.Execution;
using Wharf.Compose.Loading;
using Wharf.Compose.Model;

namespace Wharf.Compose.Cli;

/// <summary>"compose [OPTIONS] COMMAND": global project flags, then one sub-command. Lives in the library
/// (not in Wharf.Cli) so the whole command line is testable against a fake engine.</summary>
public sealed partial class ComposeCli
{
    private static readonly (string, char?, bool)[] GlobalSpecs =
    [
        ("file", 'f', true), ("project-name", 'p', true), ("project-directory", null, true), ("profile", null, true),
        ("env-file", null, true), ("ansi", null, true), ("progress", null, true), ("parallel", null, true),
        ("dry-run", null, false), ("compatibility", null, false), ("all-resources", null, false),
    ];

    private readonly ComposeConsole _console;
    private readonly Func<IComposeEngine> _engineFactory;
    private IComposeEngine? _engine;
    private ComposeArgs _global = new();

    public ComposeCli(ComposeConsole console, Func<IComposeEngine> engineFactory)
    {
        _console = console;
        _engineFactory = engineFactory;
    }

    private IComposeEngine Engine => _engine ??= _engineFactory();

    private ComposeService Service => new(Engine, _console.Err);

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        try
        {
            // Global flags end at the sub-command.
            var split = 0;
            while (split < args.Count && args[split].StartsWith('-') && args[split] != "--")
            {
                var arg = args[split];
                var takesValue = !arg.Contains('=', StringComparison.Ordinal) && GlobalSpecs.Any(s => s.Item3 && (arg == "--" + s.Item1 || (s.Item2 is { } c && arg == "-" + c)));
                split += takesValue ? 2 : 1;
            }

            split = Math.Min(split, args.Count);
            try
            {
                _global = ComposeArgs.Parse(args.Take(split).ToList(), GlobalSpecs);
            }
            catch (ComposeHelpRequest)
            {
                split = args.Count;
            }

            if (split >= args.Count || args[split] == "help")
            {
                await _console.Out.WriteAsync(Help()).ConfigureAwait(false);
                return 0;
            }

            var command = args[split];
            var rest = args.Skip(split + 1).ToList();
            try
            {
                return await DispatchAsync(command, rest, cancellationToken).ConfigureAwait(false);
            }
            catch (ComposeHelpRequest help)
            {
                var text = new StringBuilder($"\nUsage:  docker compose {command} [OPTIONS]\n\nOptions:\n");
                foreach (var (name, letter, value) in help.Specs)
                {
                    text.Append("  ").Append(letter is { } l ? $"-{l}, " : "    ").Append("--").Append(name).Append(value ? " string" : "").Append('\n');
                }

                await _console.Out.WriteAsync(text.ToString()).ConfigureAwait(false);
                return 0;
            }
        }
        catch (ComposeUsageException ex)
        {
            await _console.Err.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 1;
        }
        catch (ComposeException ex)
        {
            await _console.Err.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 1;
        }
        catch (EngineApiException ex)
        {
            await _console.Err.WriteLineAsync("Error response from daemon: " + ex.Message).ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 130;
        }
    }

    private Task<int> DispatchAsync(string command, List<string> rest, CancellationToken cancellationToken) => command switch
    {
        "config" or "convert" => ConfigAsync(rest),
        "up" => UpAsync(rest, create: false, cancellationToken),
        "create" => UpAsync(rest, create: true, cancellationToken),
        "down" => DownAsync(rest, cancellationToken),
        "ps" => PsAsync(rest, cancellationToken),
        "logs" => LogsAsync(rest, cancellationToken),
        "start" or "stop" or "restart" or "kill" or "pause" or "unpause" => LifecycleAsync(command, rest, cancellationToken),
        "rm" => RmAsync(rest, cancellationToken),
        "exec" => ExecAsync(rest, cancellationToken),
        "run" => RunServiceAsync(rest, cancellationToken),
        "ls" => LsAsync(rest, cancellationToken),
        "images" => ImagesAsync(rest, cancellationToken),
        "port" => PortAsync(rest, cancellationToken),
        "top" => TopAsync(rest, cancellationToken),
        "build" => BuildAsync(rest, cancellationToken),
        "pull" => PullAsync(rest, cancellationToken),
        "push" => PushAsync(rest, cancellationToken),
        "events" => EventsAsync(rest, cancellationToken),
        "version" => VersionAsync(rest),
        _ => throw new ComposeUsageException($"unknown docker command: \"compose {command}\""),
    };

    /// <summary>Loads the project with the global flags; <paramref name="services"/> enables their profiles.</summary>
    private ComposeProject LoadProject(IReadOnlyList<string>? services = null)
    {
        var project = new ComposeLoader().Load(new LoadOptions
        {
            Files = [.. _global.Values("file")],
            ProjectName = _global.Value("project-name"),
            ProjectDirectory = _global.Value("project-directory"),
            EnvFiles = [.. _global.Values("env-file")],
            Profiles = [.. _global.Values("profile")],
            ExplicitServices = services is null ? [] : [.. services],
            CurrentDirectory = _console.CurrentDirectory,
            Environment = _console.Environment,
            ReadStdin = _console.ReadStdin,
        });
        foreach (var warning in project.Warnings)
        {
            // logrus's format, as docker compose prints it on stderr.
            _console.Err.WriteLine("WARN[0000] " + warning);
        }

        return project;
    }

    /// <summary>The project name without needing a compose file when -p or COMPOSE_PROJECT_NAME gives it
    /// (down/ps/logs work on a project whose files are gone, as in Compose).</summary>
    private (string Name, ComposeProject? Project) ProjectOrName()
    {
        try
        {
            var project = LoadProject();
            return (project.Name, project);
        }
        catch (ComposeException) when (_global.Value("project-name") is { Length: > 0 } name)
        {
            return (ProjectName.Validate(name, "-p"), null);
        }
        catch (ComposeException) when (_console.Environment("COMPOSE_PROJECT_NAME") is { Length: > 0 } name)
        {
            return (ProjectName.Validate(name, "COMPOSE_PROJECT_NAME"), null);
        }
    }

    private static string Help()
    {
        var text = new StringBuilder();
        text.Append("\nUsage:  docker compose [OPTIONS] COMMAND\n\nDefine and run multi-container applications with Docker\n\n");
        text.Append("Options:\n");
        text.Append("      --env-file stringArray       Specify an alternate environment file\n");
        text.Append("  -f, --file stringArray           Compose configuration files\n");
        text.Append("      --profile stringArray        Specify a profile to enable\n");
        text.Append("      --project-directory string   Specify an alternate working directory\n");
        text.Append("  -p, --project-name string        Project name\n\n");
        text.Append("Commands:\n");
        foreach (var (name, description) in new[]
        {
            ("build", "Build or rebuild services"), ("config", "Parse, resolve and render compose file in canonical format"),
            ("create", "Creates containers for a service"), ("down", "Stop and remove containers, networks"),
            ("events", "Receive real time events from containers"), ("exec", "Execute a command in a running container"),
            ("images", "List images used by the created containers"), ("kill", "Force stop service containers"),
            ("logs", "View output from containers"), ("ls", "List running compose projects"),
            ("pause", "Pause services"), ("port", "Print the public port for a port binding"), ("ps", "List containers"),
            ("pull", "Pull service images"), ("push", "Push service images"), ("restart", "Restart service containers"),
            ("rm", "Removes stopped service containers"), ("run", "Run a one-off command on a service"),
            ("start", "Start services"), ("stop", "Stop services"), ("top", "Display the running processes"),
            ("unpause", "Unpause services"), ("up", "Create and start containers"), ("version", "Show the Docker Compose version information"),
        })
        {
            text.Append("  ").Append(name.PadRight(12)).Append(description).Append('\n');
        }

        text.Append("\nRun 'docker compose COMMAND --help' for more information on a command.\n");
        return text.ToString();
    }
}
