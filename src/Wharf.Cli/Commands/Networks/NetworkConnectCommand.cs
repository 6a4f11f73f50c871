using Wharf.Api.Client;
using Wharf.Api.Containers;
using Wharf.Api.Networks;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Networks;

internal sealed class NetworkConnectCommand : ICommand
{
    public string Name => "network connect";

    public string Usage => "network connect [OPTIONS] NETWORK CONTAINER";

    public string Description => "Connect a container to a network";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("ip", null, "IPv4 address (e.g., \"172.30.100.104\")"),
        OptionSpec.Value("ip6", null, "IPv6 address (e.g., \"2001:db8::33\")"),
        OptionSpec.Value("alias", null, "Add network-scoped alias for the container", "strings"),
        OptionSpec.Value("link", null, "Add link to another container", "list"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 2) throw new CliUsageException("\"wharf network connect\" requires exactly 2 arguments.", 1);
        var ip = args.Value("ip");
        var ip6 = args.Value("ip6");
        var request = new NetworkConnectRequest
        {
            Container = args.Positionals[1],
            EndpointConfig = new EndpointSettings
            {
                IPAMConfig = ip is null && ip6 is null ? null : new EndpointIpamConfig { IPv4Address = ip, IPv6Address = ip6 },
                Aliases = args.Values("alias").Count > 0 ? [.. args.Values("alias")] : null,
                Links = args.Values("link").Count > 0 ? [.. args.Values("link")] : null,
            },
        };
        await context.Client.Networks.ConnectAsync(args.Positionals[0], request, cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
