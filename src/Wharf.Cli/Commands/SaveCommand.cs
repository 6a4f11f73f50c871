using Wharf.Api.Client;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands;

/// <summary>docker save: GET /images/get?names=.. to -o FILE or a redirected stdout.</summary>
internal sealed class SaveCommand : ICommand
{
    public string Name => "save";

    public string Usage => "save [OPTIONS] IMAGE [IMAGE...]";

    public string Description => "Save one or more images to a tar archive (streamed to STDOUT by default)";

    public IReadOnlyList<OptionSpec> Options { get; } = [OptionSpec.Value("output", 'o', "Write to a file, instead of STDOUT")];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count < 1) throw new CliUsageException("\"wharf save\" requires at least 1 argument.", 1);
        var query = EngineClient.Query([.. args.Positionals.Select(n => ("names", (string?)n))]);
        using var response = await context.Client.SendAsync(HttpMethod.Get, "images/get" + query, null, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            return await ImageStoreCommands.WriteArchiveAsync(context, body, args.Value("output"), cancellationToken).ConfigureAwait(false);
        }
    }
}
