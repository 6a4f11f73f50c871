using Wharf.Api.Client;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Volumes;

internal sealed class VolumeRmCommand : ICommand
{
    public string Name => "volume rm";

    public IReadOnlyList<string> Aliases { get; } = ["volume remove"];

    public string Usage => "volume rm [OPTIONS] VOLUME [VOLUME...]";

    public string Description => "Remove one or more volumes";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("force", 'f', "Force the removal of one or more volumes"),
    ];

    public Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        return ForEachTarget.RunAsync(context, args, async target =>
        {
            await context.Client.Volumes.RemoveAsync(target, args.Flag("force"), cancellationToken).ConfigureAwait(false);
            return true;
        });
    }
}
