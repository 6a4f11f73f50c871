using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Images;

internal sealed class RmiCommand : ICommand
{
    public string Name => "image rm";

    public IReadOnlyList<string> Aliases { get; } = ["image remove", "rmi"];

    public string Usage => "rmi [OPTIONS] IMAGE [IMAGE...]";

    public string Description => "Remove one or more images";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("force", 'f', "Force removal of the image"),
        OptionSpec.Flag("no-prune", null, "Do not delete untagged parents"),
        ImagePlatform.Option("Remove only the given platform variant. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")", "strings"),
    ];

    public Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        return ForEachTarget.RunAsync(context, args, async target =>
        {
            await ImagePlatform.EnsureAsync(context, [target], args.Values("platform"), cancellationToken).ConfigureAwait(false);
            var items = await context.Client.Images.RemoveAsync(target, args.Flag("force"), args.Flag("no-prune"), cancellationToken).ConfigureAwait(false);
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
