using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

/// <summary>
/// docker attach: wait (headers at once) → inspect (must be running, not paused) → attach (stdin only when the
/// container keeps it open) → stream until it exits (its exit code is ours) or the user detaches (exit 0).
/// </summary>
internal sealed class AttachCommand : ICommand
{
    public string Name => "container attach";

    public IReadOnlyList<string> Aliases { get; } = ["attach"];

    public string Usage => "attach [OPTIONS] CONTAINER";

    public string Description => "Attach local standard input, output, and error streams to a running container";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("detach-keys", null, "Override the key sequence for detaching a container"),
        OptionSpec.Flag("no-stdin", null, "Do not attach STDIN"),
        OptionSpec.Flag("sig-proxy", null, "Proxy all received signals to the process", "true"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 1)
        {
            throw new CliUsageException("\"wharf attach\" requires exactly 1 argument.", 1);
        }

        var inspect = await context.Client.Containers.InspectAsync(args.Positionals[0], cancellationToken).ConfigureAwait(false);
        if (!inspect.State.Running)
        {
            await context.Err.WriteLineAsync("You cannot attach to a stopped container, start it first").ConfigureAwait(false);
            return 1;
        }

        if (inspect.State.Paused)
        {
            await context.Err.WriteLineAsync("You cannot attach to a paused container, unpause it first").ConfigureAwait(false);
            return 1;
        }

        var id = inspect.Id;
        var tty = inspect.Config.Tty;
        var stdin = !args.Flag("no-stdin") && inspect.Config.OpenStdin;
        if (tty && stdin && !context.StdinIsTerminal)
        {
            await context.Err.WriteLineAsync("the input device is not a TTY").ConfigureAwait(false);
            return 1;
        }

        using var wait = await context.Client.Containers.BeginWaitAsync(id, "next-exit", cancellationToken).ConfigureAwait(false);
        using var raw = tty && stdin ? RawTerminal.Enter(context) : null;
        var session = (await AttachSession.OpenAsync(context, id, stdin, true, true, tty, cancellationToken).ConfigureAwait(false))
            .WithDetachKeys(raw is not null ? args.Value("detach-keys") ?? "" : null);
        using (args.Flag("sig-proxy", whenAbsent: true) && !tty ? new SignalProxy(context.Client, id) : null)
        using (tty ? TtyResizer.Start((h, w) => context.Client.Containers.ResizeAsync(id, h, w)) : null)
        {
            await session.RunAsync(stdin, cancellationToken).ConfigureAwait(false);
        }

        if (session.Detached)
        {
            return 0;
        }

        var result = await EngineClient.ReadJsonAsync(wait, ApiJsonContext.Default.ContainerWaitResponse, cancellationToken).ConfigureAwait(false);
        return (int)result.StatusCode;
    }
}
