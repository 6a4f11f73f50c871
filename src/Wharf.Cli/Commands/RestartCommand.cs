using Wharf.Api.Client;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands;

internal sealed class RestartCommand : ICommand
{
    public string Name => "restart";

    public string Usage => "restart [OPTIONS] CONTAINER [CONTAINER...]";

    public string Description => "Restart one or more containers";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("time", 't', "Seconds to wait before killing the container"),
        OptionSpec.Value("signal", 's', "Signal to send to the container"),
    ];

    public Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var query = EngineClient.Query(("signal", args.Value("signal")), ("t", args.Value("time")));
        return ForEachTarget.RunAsync(context, args, Name, async target =>
        {
            await context.Client.PostAsync($"containers/{target}/restart{query}", cancellationToken).ConfigureAwait(false);
            return true;
        });
    }
}
