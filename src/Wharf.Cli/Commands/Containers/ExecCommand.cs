using Wharf.Api;
using Wharf.Api.Containers;
using Wharf.Api.Client;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

/// <summary>
/// docker exec: create the exec → start it (hijacked; detached with -d) → stream → read the exit code from exec
/// inspect. With -it our terminal goes raw, follows window size changes, and watches for the detach keys.
/// </summary>
internal sealed class ExecCommand : ICommand
{
    public string Name => "container exec";

    public IReadOnlyList<string> Aliases { get; } = ["exec"];

    public string Usage => "exec [OPTIONS] CONTAINER COMMAND [ARG...]";

    public string Description => "Execute a command in a running container";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("detach", 'd', "Detached mode: run command in the background"),
        OptionSpec.Value("detach-keys", null, "Override the key sequence for detaching a container"),
        OptionSpec.Value("env", 'e', "Set environment variables", "list"),
        OptionSpec.Value("env-file", null, "Read in a file of environment variables", "list"),
        OptionSpec.Flag("interactive", 'i', "Keep STDIN open even if not attached"),
        OptionSpec.Flag("privileged", null, "Give extended privileges to the command"),
        OptionSpec.Flag("tty", 't', "Allocate a pseudo-TTY"),
        OptionSpec.Value("user", 'u', "Username or UID (format: \"<name|uid>[:<group|gid>]\")"),
        OptionSpec.Value("workdir", 'w', "Working directory inside the container"),
    ];

    public bool StopAtFirstPositional => true;

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count < 2)
        {
            throw new CliUsageException("\"wharf exec\" requires at least 2 arguments.", 1);
        }

        var container = args.Positionals[0];
        var detach = args.Flag("detach");
        var tty = args.Flag("tty");
        var interactive = args.Flag("interactive");
        if (tty && interactive && !detach && !context.StdinIsTerminal)
        {
            await context.Err.WriteLineAsync("the input device is not a TTY").ConfigureAwait(false);
            return 1;
        }

        var env = new List<string>();
        foreach (var file in args.Values("env-file"))
        {
            env.AddRange(EnvFile.Parse(File.ReadLines(file), context.Environment));
        }

        foreach (var item in args.Values("env"))
        {
            if (EnvFile.ExpandEnvArg(item, context.Environment) is { } expanded)
            {
                env.Add(expanded);
            }
        }

        var size = tty ? TtyResizer.CurrentSize() : null;
        var config = new ExecConfig
        {
            User = args.Value("user") ?? "",
            Privileged = args.Flag("privileged"),
            Tty = tty,
            AttachStdin = interactive && !detach,
            AttachStdout = !detach,
            AttachStderr = !detach,
            DetachKeys = args.Value("detach-keys") ?? "",
            Env = env.Count > 0 ? env : null,
            WorkingDir = args.Value("workdir") ?? "",
            Cmd = [.. args.Positionals.Skip(1)],
            ConsoleSize = size,
        };
        var created = await context.Client.Execs.CreateAsync(container, config, cancellationToken).ConfigureAwait(false);
        var start = new ExecStartConfig { Detach = detach, Tty = tty, ConsoleSize = size };
        if (detach)
        {
            await context.Client.Execs.StartDetachedAsync(created.Id, start, cancellationToken).ConfigureAwait(false);
            return 0;
        }

        using var raw = tty && interactive ? RawTerminal.Enter(context) : null;
        var stream = await context.Client.Execs.StartAttachedAsync(created.Id, start, cancellationToken).ConfigureAwait(false);
        var session = new AttachSession(context, stream, tty).WithDetachKeys(raw is not null ? args.Value("detach-keys") ?? "" : null);
        using (tty ? TtyResizer.Start((h, w) => context.Client.Execs.ResizeAsync(created.Id, h, w)) : null)
        {
            await session.RunAsync(interactive, cancellationToken).ConfigureAwait(false);
        }

        if (session.Detached)
        {
            return 0;
        }

        var inspect = await context.Client.Execs.InspectAsync(created.Id, cancellationToken).ConfigureAwait(false);
        return inspect.ExitCode ?? 0;
    }
}
