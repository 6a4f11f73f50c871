using Wharf.Api;
using Wharf.Api.Client;
using Wharf.Api.Streams;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

internal sealed class LogsCommand : ICommand
{
    public string Name => "container logs";

    public IReadOnlyList<string> Aliases { get; } = ["logs"];

    public string Usage => "logs [OPTIONS] CONTAINER";

    public string Description => "Fetch the logs of a container";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Flag("follow", 'f', "Follow log output"),
        OptionSpec.Flag("timestamps", 't', "Show timestamps"),
        OptionSpec.Value("since", null, "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)"),
        OptionSpec.Value("until", null, "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)"),
        OptionSpec.Value("tail", 'n', "Number of lines to show from the end of the logs", "string", "all"),
        OptionSpec.Flag("details", null, "Show extra details provided to logs"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 1)
        {
            throw new CliUsageException("\"wharf logs\" requires exactly 1 argument.", 1);
        }

        var inspect = await context.Client.Containers.InspectAsync(args.Positionals[0], cancellationToken).ConfigureAwait(false);
        var now = context.Now;
        var options = new ContainerLogsOptions
        {
            Details = args.Flag("details"),
            Follow = args.Flag("follow"),
            Since = args.Value("since") is { } since ? TimeArg.ToUnixTimestamp(since, now) : null,
            Tail = args.Value("tail") ?? "all",
            Timestamps = args.Flag("timestamps"),
            Until = args.Value("until") is { } until ? TimeArg.ToUnixTimestamp(until, now) : null,
        };
        using var response = await context.Client.Containers.LogsAsync(inspect.Id, options, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        var stdout = context.OpenStdout();
        var stderr = context.OpenStderr();
        await using (body.ConfigureAwait(false))
        {
            if (inspect.Config.Tty)
            {
                await body.CopyToAsync(stdout, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await StdCopy.DemultiplexAsync(body, stdout, stderr, cancellationToken).ConfigureAwait(false);
            }
        }

        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
