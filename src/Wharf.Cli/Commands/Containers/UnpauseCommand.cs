using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

internal sealed class UnpauseCommand : ICommand
{
    public string Name => "container unpause";

    public IReadOnlyList<string> Aliases { get; } = ["unpause"];

    public string Usage => "unpause CONTAINER [CONTAINER...]";

    public string Description => "Unpause all processes within one or more containers";

    public IReadOnlyList<OptionSpec> Options { get; } = [];

    public Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken) =>
        ForEachTarget.RunAsync(context, args, async target =>
        {
            await context.Client.Containers.UnpauseAsync(target, cancellationToken).ConfigureAwait(false);
            return true;
        });
}
