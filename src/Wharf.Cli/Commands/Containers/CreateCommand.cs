using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

/// <summary>docker create: like run without starting; prints the new container's ID.</summary>
internal sealed class CreateCommand : ICommand
{
    public string Name => "container create";

    public IReadOnlyList<string> Aliases { get; } = ["create"];

    public string Usage => "create [OPTIONS] IMAGE [COMMAND] [ARG...]";

    public string Description => "Create a new container";

    public IReadOnlyList<OptionSpec> Options => ContainerOptions.CreateSpecs;

    public bool StopAtFirstPositional => true;

    public int FailureExitCode => RunExitCodes.DaemonError;

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var request = ContainerOptions.Build(args, detach: false, context.Environment, File.ReadLines);
        if (await WindowsOnlyFlags.RefusalAsync(context, args, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            await context.Err.WriteLineAsync(refusal).ConfigureAwait(false);
            return 1;
        }
        try
        {
            var created = await ContainerCreator.CreateAsync(context, request, args, cancellationToken).ConfigureAwait(false);
            if (args.Value("cidfile") is { } cidFile)
            {
                await File.WriteAllTextAsync(cidFile, created.Id, cancellationToken).ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync(created.Id).ConfigureAwait(false);
            return 0;
        }
        catch (EngineApiException ex)
        {
            await context.Err.WriteLineAsync(DaemonError.Describe(ex.Message)).ConfigureAwait(false);
            return RunExitCodes.DaemonError;
        }
    }
}
