using Wharf.Api.Client;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands;

internal sealed class StopCommand : ICommand
{
    public string Name => "stop";

    public string Usage => "stop [OPTIONS] CONTAINER [CONTAINER...]";

    public string Description => "Stop one or more running containers";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("time", 't', "Seconds to wait before killing the container"),
        OptionSpec.Value("timeout", null, "Seconds to wait before killing the container (deprecated)"),
        OptionSpec.Value("signal", 's', "Signal to send to the container"),
    ];

    public Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var query = EngineClient.Query(("signal", args.Value("signal")), ("t", args.Value("time") ?? args.Value("timeout")));
        return ForEachTarget.RunAsync(context, args, Name, async target =>
        {
            await context.Client.PostAsync($"containers/{target}/stop{query}", cancellationToken).ConfigureAwait(false);
            return true;
        });
    }
}
