using Wharf.Api.Client;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

internal sealed class KillCommand : ICommand
{
    public string Name => "container kill";

    public IReadOnlyList<string> Aliases { get; } = ["kill"];

    public string Usage => "kill [OPTIONS] CONTAINER [CONTAINER...]";

    public string Description => "Kill one or more running containers";

    public IReadOnlyList<OptionSpec> Options { get; } = [OptionSpec.Value("signal", 's', "Signal to send to the container")];

    public Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        return ForEachTarget.RunAsync(context, args, async target =>
        {
            await context.Client.Containers.KillAsync(target, args.Value("signal"), cancellationToken).ConfigureAwait(false);
            return true;
        });
    }
}
