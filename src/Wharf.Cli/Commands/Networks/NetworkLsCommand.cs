using Wharf.Api.Client;
using Wharf.Api.Networks;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Networks;

internal sealed class NetworkLsCommand : ICommand
{
    public string Name => "network ls";

    public IReadOnlyList<string> Aliases { get; } = ["network list"];

    public string Usage => "network ls [OPTIONS]";

    public string Description => "List networks";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("quiet", 'q', "Only display network IDs"),
        OptionSpec.Flag("no-trunc", null, "Do not truncate the output"),
        OptionSpec.Value("filter", 'f', "Provide filter values (e.g. \"driver=bridge\")", "filter"),
        OptionSpec.Value("format", null, "Format output using a custom template"),
    ];

    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["ID"] = "NETWORK ID", ["Name"] = "NAME", ["Driver"] = "DRIVER", ["Scope"] = "SCOPE", ["IPv4"] = "IPV4", ["IPv6"] = "IPV6",
        ["Internal"] = "INTERNAL", ["Labels"] = "LABELS", ["CreatedAt"] = "CREATED AT",
    };

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var networks = await context.Client.Networks.ListAsync(FilterArgs.ToJson(args.Values("filter")), cancellationToken).ConfigureAwait(false);
        var noTrunc = args.Flag("no-trunc");
        var sorted = networks.OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        if (args.Flag("quiet"))
        {
            foreach (var n in sorted) await context.Out.WriteLineAsync(noTrunc ? n.Id : n.Id[..12]).ConfigureAwait(false);
            return 0;
        }
        if (args.Value("format") is { } format)
        {
            // docker's network formatter fields; booleans print as Go prints them.
            var rows = sorted.Select(n => JsonOutput.ObjectOfStrings(
            [
                new("ID", noTrunc ? n.Id : n.Id[..12]), new("Name", n.Name), new("Driver", n.Driver), new("Scope", n.Scope),
                new("IPv4", n.EnableIPv4 ? "true" : "false"), new("IPv6", n.EnableIPv6 ? "true" : "false"), new("Internal", n.Internal ? "true" : "false"),
                new("Labels", string.Join(',', n.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value))), new("CreatedAt", n.Created),
            ]));
            await context.Out.WriteAsync(FormattedWriter.Render(format, Headers, rows)).ConfigureAwait(false);
            return 0;
        }

        var lines = new List<string> { "NETWORK ID\tNAME\tDRIVER\tSCOPE" };
        lines.AddRange(sorted.Select(n => $"{(noTrunc ? n.Id : n.Id[..12])}\t{n.Name}\t{n.Driver}\t{n.Scope}"));
        await context.Out.WriteAsync(TabTable.Format(lines)).ConfigureAwait(false);
        return 0;
    }
}
