using Wharf.Api.Client;
using Wharf.Api.Networks;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Network;

internal sealed class NetworkDisconnectCommand : ICommand
{
    public string Name => "network disconnect";

    public string Usage => "network disconnect [OPTIONS] NETWORK CONTAINER";

    public string Description => "Disconnect a container from a network";

    public IReadOnlyList<OptionSpec> Options { get; } = [OptionSpec.Flag("force", 'f', "Force the container to disconnect from a network")];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 2) throw new CliUsageException("\"wharf network disconnect\" requires exactly 2 arguments.", 1);
        var request = new NetworkDisconnectRequest { Container = args.Positionals[1], Force = args.Flag("force") };
        using var content = EngineClient.JsonContent(request, NetworkApiJsonContext.Default.NetworkDisconnectRequest);
        using var response = await context.Client.SendAsync(HttpMethod.Post, $"networks/{args.Positionals[0]}/disconnect", content, cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
