using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

/// <summary>docker export: GET /containers/{id}/export to -o FILE or a redirected stdout.</summary>
internal sealed class ExportCommand : ICommand
{
    public string Name => "container export";

    public IReadOnlyList<string> Aliases { get; } = ["export"];

    public string Usage => "export [OPTIONS] CONTAINER";

    public string Description => "Export a container's filesystem as a tar archive";

    public IReadOnlyList<OptionSpec> Options { get; } = [OptionSpec.Value("output", 'o', "Write to a file, instead of STDOUT")];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 1) throw new CliUsageException("\"wharf export\" requires exactly 1 argument.", 1);
        using var response = await context.Client.Containers.ExportAsync(args.Positionals[0], cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            return await ArchiveOutput.WriteAsync(context, body, args.Value("output"), cancellationToken).ConfigureAwait(false);
        }
    }
}
