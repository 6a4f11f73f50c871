using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands;

internal sealed class PauseCommand : ICommand
{
    public string Name => "pause";

    public string Usage => "pause CONTAINER [CONTAINER...]";

    public string Description => "Pause all processes within one or more containers";

    public IReadOnlyList<OptionSpec> Options { get; } = [];

    public Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken) =>
        ForEachTarget.RunAsync(context, args, Name, async target =>
        {
            await context.Client.PostAsync($"containers/{target}/pause", cancellationToken).ConfigureAwait(false);
            return true;
        });
}
