using System.Text.Json;
using Wharf.Cli.Contexts;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Contexts;

/// <summary>`context ls`: the default context first, then the store's, the current one starred — docker's table.</summary>
internal sealed class ContextListCommand : ICommand
{
    private const string DefaultFormat = "table {{.Name}}{{if .Current}} *{{end}}\t{{.Description}}\t{{.DockerEndpoint}}\t{{.Error}}";

    private static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Name"] = "NAME", ["Description"] = "DESCRIPTION", ["DockerEndpoint"] = "DOCKER ENDPOINT", ["Error"] = "ERROR", ["Current"] = "",
    };

    public string Name => "context ls";

    public IReadOnlyList<string> Aliases { get; } = ["context list"];

    public string Usage => "context ls [OPTIONS]";

    public string Description => "List contexts";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("format", null, "Format output using a custom template"),
        OptionSpec.Flag("quiet", 'q', "Only show context names"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var resolver = context.Resolver!;
        var current = context.ContextName;
        var rows = new List<JsonElement>
        {
            Row(DockerContext.DefaultName, "Current WHARF_HOST based configuration", resolver.DefaultHost, current == DockerContext.DefaultName),
        };
        rows.AddRange(resolver.Store.List().Select(c => Row(c.Name, c.Description, c.Host, c.Name == current)));

        var format = args.Flag("quiet") && args.Value("format") is null ? "{{.Name}}" : args.Value("format") ?? DefaultFormat;
        await context.Out.WriteAsync(FormattedWriter.Render(format, Headers, rows)).ConfigureAwait(false);
        return 0;
    }

    private static JsonElement Row(string name, string description, string endpoint, bool current)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("Current", current);
            writer.WriteString("Description", description);
            writer.WriteString("DockerEndpoint", endpoint);
            writer.WriteString("Error", "");
            writer.WriteString("Name", name);
            writer.WriteEndObject();
        }

        using var doc = JsonDocument.Parse(buffer.ToArray());
        return doc.RootElement.Clone();
    }
}
