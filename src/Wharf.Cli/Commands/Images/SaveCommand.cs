using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Images;

/// <summary>docker save: GET /images/get?names=.. to -o FILE or a redirected stdout.</summary>
internal sealed class SaveCommand : ICommand
{
    public string Name => "image save";

    public IReadOnlyList<string> Aliases { get; } = ["save"];

    public string Usage => "save [OPTIONS] IMAGE [IMAGE...]";

    public string Description => "Save one or more images to a tar archive (streamed to STDOUT by default)";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("output", 'o', "Write to a file, instead of STDOUT"),
        ImagePlatform.Option("Save only the given platform variant. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")"),
        ProgressOption.Option,
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count < 1) throw new CliUsageException("\"wharf save\" requires at least 1 argument.", 1);
        await ImagePlatform.EnsureAsync(context, args.Positionals, args.Values("platform"), cancellationToken).ConfigureAwait(false);
        using var response = await context.Client.Images.SaveAsync(args.Positionals, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            return await ArchiveOutput.WriteAsync(context, body, args.Value("output"), cancellationToken, ProgressOption.Parse(args)).ConfigureAwait(false);
        }
    }
}
