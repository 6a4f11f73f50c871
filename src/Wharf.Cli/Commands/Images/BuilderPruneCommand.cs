using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Images;

/// <summary>wharf builder prune: POST /build/prune, then docker's report.</summary>
internal sealed class BuilderPruneCommand : ICommand
{
    public string Name => "builder prune";

    public string Usage => "builder prune";

    public string Description => "Remove build cache";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("all", 'a', "Remove all unused build cache, not just dangling ones"),
        OptionSpec.Value("filter", null, "Provide filter values (e.g. \"until=24h\")", "filter"),
        OptionSpec.Flag("force", 'f', "Do not prompt for confirmation"),
        OptionSpec.Value("keep-storage", null, "Amount of disk space to keep for cache", "bytes"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var all = args.Flag("all");
        var keepStorage = args.Value("keep-storage") is { } keep ? ByteSize.Parse(keep, "--keep-storage") : 0;
        if (!args.Flag("force"))
        {
            var warning = all ? "WARNING! This will remove all build cache." : "WARNING! This will remove all dangling build cache.";
            await context.Out.WriteAsync(warning + " Are you sure you want to continue? [y/N] ").ConfigureAwait(false);
            await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(context.OpenStdin());
            var answer = (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.Trim();
            if (answer is not ("y" or "Y" or "yes" or "Yes" or "YES"))
            {
                return 0;
            }
        }

        var report = await context.Client.Builds.PruneAsync(all, FilterArgs.ToJson(args.Values("filter")), keepStorage, cancellationToken).ConfigureAwait(false);
        if (report.TryGetProperty("CachesDeleted", out var deleted) && deleted.ValueKind == global::System.Text.Json.JsonValueKind.Array && deleted.GetArrayLength() > 0)
        {
            await context.Out.WriteLineAsync("Deleted build cache objects:").ConfigureAwait(false);
            foreach (var id in deleted.EnumerateArray())
            {
                await context.Out.WriteLineAsync(id.GetString()).ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync().ConfigureAwait(false);
        }

        var bytes = report.TryGetProperty("SpaceReclaimed", out var space) && space.TryGetInt64(out var value) ? value : 0;
        await context.Out.WriteLineAsync("Total reclaimed space: " + HumanUnits.Size(bytes)).ConfigureAwait(false);
        return 0;
    }
}
