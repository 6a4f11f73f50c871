using Wharf.Api.Client;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands;

internal sealed class KillCommand : ICommand
{
    public string Name => "kill";

    public string Usage => "kill [OPTIONS] CONTAINER [CONTAINER...]";

    public string Description => "Kill one or more running containers";

    public IReadOnlyList<OptionSpec> Options { get; } = [OptionSpec.Value("signal", 's', "Signal to send to the container")];

    public Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var query = EngineClient.Query(("signal", args.Value("signal")));
        return ForEachTarget.RunAsync(context, args, Name, async target =>
        {
            await context.Client.PostAsync($"containers/{target}/kill{query}", cancellationToken).ConfigureAwait(false);
            return true;
        });
    }
}
