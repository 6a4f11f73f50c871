using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Api.Resources;
using Wharf.Cli.Output;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

/// <summary>docker stats: one table of live figures; --no-stream prints it once. Each sample is the daemon's
/// stream=false answer (two readings a second apart), so a refresh comes about every second.</summary>
internal sealed class StatsCommand : ICommand
{
    public string Name => "container stats";

    public IReadOnlyList<string> Aliases { get; } = ["stats"];

    public string Usage => "stats [OPTIONS] [CONTAINER...]";

    public string Description => "Display a live stream of container(s) resource usage statistics";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("all", 'a', "Show all containers (default shows just running)"),
        OptionSpec.Value("format", null, "Format output using a custom template"),
        OptionSpec.Flag("no-stream", null, "Disable streaming stats and only pull the first result"),
        OptionSpec.Flag("no-trunc", null, "Do not truncate output"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var format = args.Value("format") ?? StatsRows.DefaultTableFormat;
        var truncate = !args.Flag("no-trunc");
        var stream = !args.Flag("no-stream");
        var named = args.Positionals.Count > 0;
        var failed = false;
        do
        {
            IReadOnlyList<string> targets = named ? args.Positionals : await RunningAsync(context, args.Flag("all"), cancellationToken).ConfigureAwait(false);
            var samples = await Task.WhenAll(targets.Select(t => SampleAsync(context, t, cancellationToken))).ConfigureAwait(false);
            var rows = new List<global::System.Text.Json.JsonElement>();
            for (var i = 0; i < targets.Count; i++)
            {
                if (samples[i].Stats is { } stats) rows.Add(StatsRows.ToRow(targets[i], stats, truncate));
                else
                {
                    failed = true;
                    await context.Err.WriteLineAsync(DaemonError.Describe(samples[i].Error ?? "")).ConfigureAwait(false);
                }
            }
            if (failed && named) return 1;
            if (stream) await context.Out.WriteAsync("\u001b[2J\u001b[H").ConfigureAwait(false);
            await context.Out.WriteAsync(FormattedWriter.Render(format, StatsRows.Headers, rows)).ConfigureAwait(false);
            await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (stream && targets.Count == 0) await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
        while (stream && !cancellationToken.IsCancellationRequested);
        return failed ? 1 : 0;
    }

    private static async Task<IReadOnlyList<string>> RunningAsync(CliContext context, bool all, CancellationToken cancellationToken)
    {
        var list = await context.Client.Containers.ListAsync(all, cancellationToken: cancellationToken).ConfigureAwait(false);
        return list.Select(c => c.Id[..12]).ToList();
    }

    private static async Task<(ContainerStatsResponse? Stats, string? Error)> SampleAsync(CliContext context, string target, CancellationToken cancellationToken)
    {
        try
        {
            return (await context.Client.Containers.StatsAsync(target, cancellationToken).ConfigureAwait(false), null);
        }
        catch (EngineApiException e)
        {
            return (null, e.Message);
        }
    }
}
