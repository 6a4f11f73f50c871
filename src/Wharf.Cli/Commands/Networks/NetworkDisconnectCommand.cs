using Wharf.Api.Client;
using Wharf.Api.Networks;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Networks;

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
        await context.Client.Networks.DisconnectAsync(args.Positionals[0], request, cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
