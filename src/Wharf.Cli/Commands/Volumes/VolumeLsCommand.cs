using System.Text.Json;
using Wharf.Api.Client;
using Wharf.Api.Volumes;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Volumes;

internal sealed class VolumeLsCommand : ICommand
{
    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["Driver"] = "DRIVER", ["Name"] = "VOLUME NAME", ["Mountpoint"] = "MOUNTPOINT", ["Scope"] = "SCOPE", ["Labels"] = "LABELS",
    };

    public string Name => "volume ls";

    public IReadOnlyList<string> Aliases { get; } = ["volume list"];

    public string Usage => "volume ls [OPTIONS]";

    public string Description => "List volumes";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("quiet", 'q', "Only display volume names"),
        OptionSpec.Value("filter", 'f', "Provide filter values (e.g. \"dangling=true\")", "filter"),
        OptionSpec.Value("format", null, "Format output using a custom template"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var list = await context.Client.Volumes.ListAsync(FilterArgs.ToJson(args.Values("filter")), cancellationToken).ConfigureAwait(false);
        foreach (var warning in list.Warnings)
        {
            await context.Err.WriteLineAsync("WARNING: " + warning).ConfigureAwait(false);
        }

        var format = args.Value("format") ?? (args.Flag("quiet") ? "{{.Name}}" : "table {{.Driver}}\t{{.Name}}");
        var rows = list.Volumes.Select(Row).ToList();
        await context.Out.WriteAsync(FormattedWriter.Render(format, Headers, rows)).ConfigureAwait(false);
        return 0;
    }

    private static JsonElement Row(Volume v) => JsonOutput.ObjectOfStrings(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Driver"] = v.Driver,
        ["Name"] = v.Name,
        ["Mountpoint"] = v.Mountpoint,
        ["Scope"] = v.Scope,
        ["Labels"] = string.Join(',', (v.Labels ?? []).Select(l => l.Key + "=" + l.Value)),
    });
}
