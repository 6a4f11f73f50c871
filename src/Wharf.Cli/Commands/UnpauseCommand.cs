using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands;

internal sealed class UnpauseCommand : ICommand
{
    public string Name => "unpause";

    public string Usage => "unpause CONTAINER [CONTAINER...]";

    public string Description => "Unpause all processes within one or more containers";

    public IReadOnlyList<OptionSpec> Options { get; } = [];

    public Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken) =>
        ForEachTarget.RunAsync(context, args, Name, async target =>
        {
            await context.Client.PostAsync($"containers/{target}/unpause", cancellationToken).ConfigureAwait(false);
            return true;
        });
}
