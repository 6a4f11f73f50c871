using System.Globalization;
using System.Text.Json;
using Wharf.Api.Images;
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

    /// <summary>docker's history table; --quiet is "{{.ID}}".</summary>
    public const string DefaultTableFormat = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";

    public static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ID"] = "IMAGE",
        ["CreatedSince"] = "CREATED",
        ["CreatedAt"] = "CREATED AT",
        ["CreatedBy"] = "CREATED BY",
        ["Size"] = "SIZE",
        ["Comment"] = "COMMENT",
    };

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("format", null, "Format output using a custom template"),
        OptionSpec.Flag("human", 'H', "Print sizes and dates in human readable format", "true"),
        OptionSpec.Flag("no-trunc", null, "Don't truncate output"),
        ImagePlatform.Option("Show history for the given platform. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")"),
        OptionSpec.Flag("quiet", 'q', "Only show image IDs"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 1) throw new CliUsageException("\"wharf history\" requires exactly 1 argument.", 1);
        var format = args.Flag("quiet") && args.Value("format") is null ? "{{.ID}}" : args.Value("format") ?? DefaultTableFormat;
        await ImagePlatform.EnsureAsync(context, [args.Positionals[0]], args.Values("platform"), cancellationToken).ConfigureAwait(false);
        var items = await context.Client.Images.HistoryAsync(args.Positionals[0], cancellationToken).ConfigureAwait(false);
        var truncate = !args.Flag("no-trunc");
        var human = args.Flag("human", whenAbsent: true);
        var now = context.Now;
        await context.Out.WriteAsync(FormattedWriter.Render(format, Headers, items.Select(i => ToRow(i, truncate, human, now)))).ConfigureAwait(false);
        return 0;
    }

    /// <summary>docker's historyContext fields: --human=false gives RFC 3339 dates and sizes in bytes.</summary>
    public static JsonElement ToRow(ImageHistoryItem item, bool truncate, bool human, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(item);
        var id = truncate && item.Id.StartsWith("sha256:", StringComparison.Ordinal) ? item.Id[7..Math.Min(item.Id.Length, 19)] : item.Id;
        var createdBy = item.CreatedBy.Replace("\t", " ", StringComparison.Ordinal);
        if (truncate && createdBy.Length > 45)
        {
            createdBy = createdBy[..44] + "…";
        }

        var createdAt = Rfc3339(DateTimeOffset.FromUnixTimeSeconds(item.Created).ToLocalTime());
        return JsonOutput.ObjectOfStrings(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ID"] = id,
            ["CreatedSince"] = human ? HumanUnits.Ago(item.Created, now) : createdAt,
            ["CreatedAt"] = createdAt,
            ["CreatedBy"] = createdBy,
            ["Size"] = human ? HumanUnits.Size(item.Size, 3) : item.Size.ToString(CultureInfo.InvariantCulture),
            ["Comment"] = item.Comment,
        });
    }

    /// <summary>Go's time.RFC3339: "Z" for UTC, else the numeric offset.</summary>
    private static string Rfc3339(DateTimeOffset time) =>
        time.ToString(time.Offset == TimeSpan.Zero ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
