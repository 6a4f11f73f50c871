using System.Text;
using Wharf.Api;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Images;

/// <summary>docker history: GET /images/{name}/history as Docker's table (newest first).</summary>
internal sealed class HistoryCommand : ICommand
{
    public string Name => "image history";

    public IReadOnlyList<string> Aliases { get; } = ["history"];

    public string Usage => "history [OPTIONS] IMAGE";

    public string Description => "Show the history of an image";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("human", 'H', "Print sizes and dates in human readable format (default true)"),
        OptionSpec.Flag("no-trunc", null, "Don't truncate output"),
        OptionSpec.Flag("quiet", 'q', "Only show image IDs"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 1) throw new CliUsageException("\"wharf history\" requires exactly 1 argument.", 1);
        var items = await context.Client.Images.HistoryAsync(args.Positionals[0], cancellationToken).ConfigureAwait(false);
        var truncate = !args.Flag("no-trunc");
        string Id(string id) => id.StartsWith("sha256:", StringComparison.Ordinal) && truncate ? id[7..19] : id;
        if (args.Flag("quiet"))
        {
            foreach (var item in items) await context.Out.WriteLineAsync(Id(item.Id)).ConfigureAwait(false);
            return 0;
        }
        var lines = new List<string> { "IMAGE\tCREATED\tCREATED BY\tSIZE\tCOMMENT" };
        foreach (var item in items)
        {
            var createdBy = item.CreatedBy.Replace("\t", " ", StringComparison.Ordinal);
            if (truncate && createdBy.Length > 45) createdBy = createdBy[..44] + "…";
            var line = new StringBuilder()
                .Append(Id(item.Id)).Append('\t')
                .Append(HumanUnits.Ago(item.Created, context.Now)).Append('\t')
                .Append(createdBy).Append('\t')
                .Append(HumanUnits.Size(item.Size)).Append('\t')
                .Append(item.Comment);
            lines.Add(line.ToString());
        }
        await context.Out.WriteAsync(TabTable.Format(lines)).ConfigureAwait(false);
        return 0;
    }
}
