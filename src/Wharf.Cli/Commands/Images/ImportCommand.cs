using System.Net.Http.Headers;
using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Images;

/// <summary>docker import: POST /images/create?fromSrc=-&amp;repo=REPO:TAG with the tarball as body.</summary>
internal sealed class ImportCommand : ICommand
{
    public string Name => "image import";

    public IReadOnlyList<string> Aliases { get; } = ["import"];

    public string Usage => "import [OPTIONS] file|URL|- [REPOSITORY[:TAG]]";

    public string Description => "Import the contents from a tarball to create a filesystem image";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        ProgressOption.Option,
        OptionSpec.Value("change", 'c', "Apply Dockerfile instruction to the created image", "list"),
        OptionSpec.Value("message", 'm', "Set commit message for imported image"),
        OptionSpec.Value("platform", null, "Set platform if server is multi-platform capable"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var mode = ProgressOption.Parse(args);
        if (args.Positionals.Count is < 1 or > 2)
        {
            throw new CliUsageException("\"wharf import\" requires at least 1 and at most 2 arguments.", 1);
        }

        var source = args.Positionals[0];
        var isUrl = source.StartsWith("http://", StringComparison.Ordinal) || source.StartsWith("https://", StringComparison.Ordinal);
        var options = new ImageImportOptions
        {
            SourceUrl = isUrl ? source : null,
            Message = args.Value("message"),
            Platform = args.Value("platform"),
            Repository = args.Positionals.Count > 1 ? args.Positionals[1] : null,
            Changes = [.. args.Values("change")],
        };

        Stream? input = null;
        try
        {
            input = isUrl ? null : source == "-" ? context.OpenStdin() : File.OpenRead(source);
            using var response = await context.Client.Images.ImportAsync(options, input, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                await ProgressPrinter.PrintAsync(context, body, mode, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (FileNotFoundException)
        {
            await context.Err.WriteLineAsync($"open {source}: no such file or directory").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            if (input is not null)
            {
                await input.DisposeAsync().ConfigureAwait(false);
            }
        }

        return 0;
    }
}
