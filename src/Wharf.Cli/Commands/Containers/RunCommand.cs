using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

/// <summary>
/// docker run: create (pulling if missing) → attach (hijacked) → wait (headers arrive before start) → start →
/// stream output → exit with the container's status. Pre-start failures map to 125/126/127 like docker.
/// </summary>
internal sealed class RunCommand : ICommand
{
    public string Name => "container run";

    public IReadOnlyList<string> Aliases { get; } = ["run"];

    public string Usage => "run [OPTIONS] IMAGE [COMMAND] [ARG...]";

    public string Description => "Create and run a new container from an image";

    public IReadOnlyList<OptionSpec> Options => ContainerOptions.RunSpecs;

    public bool StopAtFirstPositional => true;

    public int FailureExitCode => RunExitCodes.DaemonError;

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var detach = args.Flag("detach");
        var request = ContainerOptions.Build(args, detach, context.Environment, File.ReadLines);
        if (await WindowsOnlyFlags.RefusalAsync(context, args, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            await context.Err.WriteLineAsync(refusal).ConfigureAwait(false);
            return 1;
        }
        var autoRemove = request.HostConfig!.AutoRemove;

        string id;
        try
        {
            var created = await ContainerCreator.CreateAsync(context, request, args, cancellationToken).ConfigureAwait(false);
            id = created.Id;
            if (args.Value("cidfile") is { } cidFile)
            {
                await File.WriteAllTextAsync(cidFile, id, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (EngineApiException ex)
        {
            return await FailAsync(context, DaemonError.Describe(ex.Message), RunExitCodes.FromErrorMessage(ex.Message)).ConfigureAwait(false);
        }

        if (detach)
        {
            try
            {
                await context.Client.Containers.StartAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (EngineApiException ex)
            {
                return await FailAsync(context, DaemonError.Describe(ex.Message), RunExitCodes.FromErrorMessage(ex.Message)).ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync(id).ConfigureAwait(false);
            return 0;
        }

        return await RunAttachedAsync(context, id, request.AttachStdin, request.AttachStdout, request.AttachStderr, request.Tty, autoRemove,
            args.Flag("sig-proxy", whenAbsent: true), cancellationToken, args.Value("detach-keys")).ConfigureAwait(false);
    }

    /// <summary>Shared by run and start -a: attach, wait, start, stream, then report the exit status.</summary>
    internal static async Task<int> RunAttachedAsync(
        CliContext context, string id, bool stdin, bool stdout, bool stderr, bool tty, bool autoRemove, bool signalProxy, CancellationToken cancellationToken, string? detachKeys = null)
    {
        if (tty && stdin && !context.StdinIsTerminal)
        {
            await context.Err.WriteLineAsync("the input device is not a TTY").ConfigureAwait(false);
            return 1;
        }

        using var raw = tty && stdin ? RawTerminal.Enter(context) : null;
        AttachSession? session = null;
        HttpResponseMessage? wait = null;
        try
        {
            try
            {
                if (stdin || stdout || stderr)
                {
                    session = await AttachSession.OpenAsync(context, id, stdin, stdout, stderr, tty, cancellationToken).ConfigureAwait(false);
                    session = session.WithDetachKeys(raw is not null ? detachKeys ?? "" : null);
                }

                // The daemon answers wait's headers at once; only then is it safe to start (no missed exit).
                var condition = autoRemove ? "removed" : "next-exit";
                wait = await context.Client.Containers.BeginWaitAsync(id, condition, cancellationToken).ConfigureAwait(false);
                await context.Client.Containers.StartAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (EngineApiException ex)
            {
                return await FailAsync(context, DaemonError.Describe(ex.Message), RunExitCodes.FromErrorMessage(ex.Message)).ConfigureAwait(false);
            }

            using var proxy = signalProxy && !tty ? new SignalProxy(context.Client, id) : null;
            using var resizer = tty ? TtyResizer.Start((h, w) => context.Client.Containers.ResizeAsync(id, h, w)) : null;
            if (session is not null)
            {
                await session.RunAsync(stdin, cancellationToken).ConfigureAwait(false);
                if (session.Detached)
                {
                    return 0;
                }
            }

            var result = await EngineClient.ReadJsonAsync(wait, ApiJsonContext.Default.ContainerWaitResponse, cancellationToken).ConfigureAwait(false);
            if (result.Error?.Message is { Length: > 0 } waitError)
            {
                await context.Err.WriteLineAsync("Error waiting for container: " + waitError).ConfigureAwait(false);
                return RunExitCodes.DaemonError;
            }

            return (int)result.StatusCode;
        }
        finally
        {
            wait?.Dispose();
        }
    }

    private static async Task<int> FailAsync(CliContext context, string message, int exitCode)
    {
        await context.Err.WriteLineAsync("wharf: " + message + "\n\nRun 'wharf run --help' for more information").ConfigureAwait(false);
        return exitCode;
    }
}
