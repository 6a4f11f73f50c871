using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands;

internal sealed class RmiCommand : ICommand
{
    public string Name => "rmi";

    public string Usage => "rmi [OPTIONS] IMAGE [IMAGE...]";

    public string Description => "Remove one or more images";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("force", 'f', "Force removal of the image"),
        OptionSpec.Flag("no-prune", null, "Do not delete untagged parents"),
    ];

    public Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var query = EngineClient.Query(("force", args.Flag("force") ? "1" : null), ("noprune", args.Flag("no-prune") ? "1" : null));
        return ForEachTarget.RunAsync(context, args, Name, async target =>
        {
            var items = await context.Client.DeleteAsync($"images/{target}{query}", ApiJsonContext.Default.ListImageDeleteResponseItem, cancellationToken).ConfigureAwait(false);
            foreach (var item in items)
            {
                if (item.Untagged is { } untagged)
                {
                    await context.Out.WriteLineAsync("Untagged: " + untagged).ConfigureAwait(false);
                }

                if (item.Deleted is { } deleted)
                {
                    await context.Out.WriteLineAsync("Deleted: " + deleted).ConfigureAwait(false);
                }
            }

            return false;
        });
    }
}
