using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Compose;

/// <summary>"docker-cli-plugin-metadata": the JSON the docker CLI reads to list the compose plugin.</summary>
internal sealed class ComposePluginMetadataCommand : ICommand
{
    public string Name => ComposePlugin.MetadataVerb;

    public string Usage => ComposePlugin.MetadataVerb;

    public string Description => "Docker CLI plugin metadata (for docker compose)";

    public IReadOnlyList<OptionSpec> Options { get; } = [];

    /// <summary>docker asks for the metadata without any daemon in reach.</summary>
    public bool NeedsDaemon => false;

    public bool Hidden => true;

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        await context.Out.WriteLineAsync(
            "{\"SchemaVersion\":\"0.1.0\",\"Vendor\":\"Wharf\",\"Version\":\"v" + Wharf.Compose.Planning.ComposeLabels.ComposeVersion +
            "\",\"ShortDescription\":\"Docker Compose (Wharf)\",\"URL\":\"\"}").ConfigureAwait(false);
        return 0;
    }
}
