using Wharf.Api.Client;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

internal sealed class StopCommand : ICommand
{
    public string Name => "container stop";

    public IReadOnlyList<string> Aliases { get; } = ["stop"];

    public string Usage => "stop [OPTIONS] CONTAINER [CONTAINER...]";

    public string Description => "Stop one or more running containers";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("timeout", 't', "Seconds to wait before killing the container", "int"),
        // docker 28 renamed --time to --timeout and still accepts the old spelling without listing it.
        OptionSpec.Value("time", null, "Seconds to wait before killing the container", "int") with { Hidden = true },
        OptionSpec.Value("signal", 's', "Signal to send to the container"),
    ];

    public Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        return ForEachTarget.RunAsync(context, args, async target =>
        {
            await context.Client.Containers.StopAsync(target, args.Value("signal"), args.Value("timeout") ?? args.Value("time"), cancellationToken).ConfigureAwait(false);
            return true;
        });
    }
}
