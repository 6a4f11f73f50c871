using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Images;

internal sealed class PullCommand : ICommand
{
    public string Name => "image pull";

    public IReadOnlyList<string> Aliases { get; } = ["pull"];

    public string Usage => "pull [OPTIONS] NAME[:TAG|@DIGEST]";

    public string Description => "Download an image from a registry";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        ContentTrust.Option,
        OptionSpec.Flag("all-tags", 'a', "Download all tagged images in the repository"),
        OptionSpec.Flag("quiet", 'q', "Suppress verbose output"),
        OptionSpec.Value("platform", null, "Set platform if server is multi-platform capable"),
        ProgressOption.Option,
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        ContentTrust.RefuseVerification(args);
        if (args.Positionals.Count != 1)
        {
            throw new CliUsageException("\"wharf pull\" requires exactly 1 argument.", 1);
        }

        var mode = args.Flag("quiet") ? ProgressMode.Quiet : ProgressOption.Parse(args);
        var reference = ImageRef.Parse(args.Positionals[0]);
        var allTags = args.Flag("all-tags");
        if (allTags)
        {
            await ImagePuller.PullAsync(context, args.Positionals[0], args.Value("platform"), context.Out, cancellationToken, allTags: true, mode).ConfigureAwait(false);
            await context.Out.WriteLineAsync(reference.Repository).ConfigureAwait(false);
            return 0;
        }
        if (args.Positionals[0].IndexOf(':', Math.Max(0, args.Positionals[0].LastIndexOf('/'))) < 0 && reference.Digest is null)
        {
            await context.Out.WriteLineAsync("Using default tag: latest").ConfigureAwait(false);
        }

        await ImagePuller.PullAsync(context, args.Positionals[0], args.Value("platform"), context.Out, cancellationToken, mode: mode).ConfigureAwait(false);
        await context.Out.WriteLineAsync(reference.ToString()).ConfigureAwait(false);
        return 0;
    }
}
