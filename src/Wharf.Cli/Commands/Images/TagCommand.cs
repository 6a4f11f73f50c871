using Wharf.Api.Client;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Images;

internal sealed class TagCommand : ICommand
{
    public string Name => "image tag";

    public IReadOnlyList<string> Aliases { get; } = ["tag"];

    public string Usage => "tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]";

    public string Description => "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE";

    public IReadOnlyList<OptionSpec> Options { get; } = [];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 2)
        {
            throw new CliUsageException("\"wharf tag\" requires exactly 2 arguments.", 1);
        }

        var target = args.Positionals[1];
        var colon = target.LastIndexOf(':');
        var slash = target.LastIndexOf('/');
        var at = target.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            await context.Err.WriteLineAsync("Error response from daemon: refusing to create a tag with a digest reference").ConfigureAwait(false);
            return 1;
        }

        var (repo, tag) = colon > slash ? (target[..colon], target[(colon + 1)..]) : (target, "latest");
        await context.Client.Images.TagAsync(args.Positionals[0], repo, tag, cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
