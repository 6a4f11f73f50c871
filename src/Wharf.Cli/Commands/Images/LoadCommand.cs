using System.Net.Http.Headers;
using Wharf.Api.Client;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Images;

/// <summary>docker load: POST /images/load with the archive from -i FILE or stdin; prints the progress stream.</summary>
internal sealed class LoadCommand : ICommand
{
    public string Name => "image load";

    public IReadOnlyList<string> Aliases { get; } = ["load"];

    public string Usage => "load [OPTIONS]";

    public string Description => "Load an image from a tar archive or STDIN";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("input", 'i', "Read from tar archive file, instead of STDIN"),
        OptionSpec.Flag("quiet", 'q', "Suppress the load output"),
        ProgressOption.Option,
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var mode = ProgressOption.Parse(args);
        var path = args.Value("input");
        if (path is null && context.StdinIsTerminal)
        {
            await context.Err.WriteLineAsync("requested load from stdin, but stdin is empty").ConfigureAwait(false);
            return 1;
        }
        Stream input;
        try
        {
            input = path is null ? context.OpenStdin() : File.OpenRead(path);
        }
        catch (FileNotFoundException)
        {
            await context.Err.WriteLineAsync($"open {path}: no such file or directory").ConfigureAwait(false);
            return 1;
        }
        await using (input.ConfigureAwait(false))
        {
            using var response = await context.Client.Images.LoadAsync(input, args.Flag("quiet") || mode == ProgressMode.Quiet, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                await ProgressPrinter.PrintAsync(context, body, mode == ProgressMode.Quiet ? ProgressMode.Plain : mode, cancellationToken).ConfigureAwait(false);
                return 0;
            }
        }
    }
}
