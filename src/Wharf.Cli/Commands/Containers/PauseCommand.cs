using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

internal sealed class PauseCommand : ICommand
{
    public string Name => "container pause";

    public IReadOnlyList<string> Aliases { get; } = ["pause"];

    public string Usage => "pause CONTAINER [CONTAINER...]";

    public string Description => "Pause all processes within one or more containers";

    public IReadOnlyList<OptionSpec> Options { get; } = [];

    public Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken) =>
        ForEachTarget.RunAsync(context, args, async target =>
        {
            await context.Client.Containers.PauseAsync(target, cancellationToken).ConfigureAwait(false);
            return true;
        });
}
