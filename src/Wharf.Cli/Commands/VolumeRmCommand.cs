using Wharf.Api.Client;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands;

internal sealed class VolumeRmCommand : ICommand
{
    public string Name => "volume rm";

    public string Usage => "volume rm [OPTIONS] VOLUME [VOLUME...]";

    public string Description => "Remove one or more volumes";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("force", 'f', "Force the removal of one or more volumes"),
    ];

    public Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var query = EngineClient.Query(("force", args.Flag("force") ? "1" : null));
        return ForEachTarget.RunAsync(context, args, Name, async target =>
        {
            await context.Client.DeleteAsync($"volumes/{Uri.EscapeDataString(target)}{query}", cancellationToken).ConfigureAwait(false);
            return true;
        });
    }
}
