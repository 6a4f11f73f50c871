using Wharf.Api.Client;
using Wharf.Api.ImageStore;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

/// <summary>docker commit: POST /commit?container=..&amp;repo=..&amp;tag=.., prints the new image id.</summary>
internal sealed class CommitCommand : ICommand
{
    public string Name => "container commit";

    public IReadOnlyList<string> Aliases { get; } = ["commit"];

    public string Usage => "commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]";

    public string Description => "Create a new image from a container's changes";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("author", 'a', "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")"),
        OptionSpec.Value("change", 'c', "Apply Dockerfile instruction to the created image", "list"),
        OptionSpec.Value("message", 'm', "Commit message"),
        OptionSpec.Flag("pause", 'p', "Pause container during commit", "true"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count is < 1 or > 2) throw new CliUsageException("\"wharf commit\" requires at least 1 and at most 2 arguments.", 1);
        string? repo = null;
        string? tag = null;
        if (args.Positionals.Count == 2)
        {
            var reference = args.Positionals[1];
            var colon = reference.LastIndexOf(':');
            if (colon > reference.LastIndexOf('/')) { repo = reference[..colon]; tag = reference[(colon + 1)..]; }
            else repo = reference;
        }
        var options = new ContainerCommitOptions
        {
            Repository = repo, Tag = tag, Message = args.Value("message"), Author = args.Value("author"), Changes = [.. args.Values("change")],
            Pause = args.Flag("pause", whenAbsent: true),
        };
        var id = await context.Client.Containers.CommitAsync(args.Positionals[0], options, cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync(id.Id).ConfigureAwait(false);
        return 0;
    }
}
