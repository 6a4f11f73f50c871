using Wharf.Api.Client;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Containers;

internal sealed class RestartCommand : ICommand
{
    public string Name => "container restart";

    public IReadOnlyList<string> Aliases { get; } = ["restart"];

    public string Usage => "restart [OPTIONS] CONTAINER [CONTAINER...]";

    public string Description => "Restart one or more containers";

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
            await context.Client.Containers.RestartAsync(target, args.Value("signal"), args.Value("timeout") ?? args.Value("time"), cancellationToken).ConfigureAwait(false);
            return true;
        });
    }
}
