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
        OptionSpec.Value("link-local-ip", null, "Add a link-local address for the container", "strings"),
        OptionSpec.Value("driver-opt", null, "driver options for the network", "strings"),
        OptionSpec.Value("gw-priority", null, "Highest gw-priority provides the default gateway. Accepts positive and negative values.", "int"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 2) throw new CliUsageException("\"wharf network connect\" requires exactly 2 arguments.", 1);
        var ip = args.Value("ip");
        var ip6 = args.Value("ip6");
        var linkLocal = Strings(args.Values("link-local-ip"));
        var driverOpts = DriverOpts(Strings(args.Values("driver-opt")));
        var request = new NetworkConnectRequest
        {
            Container = args.Positionals[1],
            EndpointConfig = new EndpointSettings
            {
                IPAMConfig = ip is null && ip6 is null && linkLocal.Count == 0
                    ? null
                    : new EndpointIpamConfig { IPv4Address = ip, IPv6Address = ip6, LinkLocalIPs = linkLocal.Count > 0 ? linkLocal : null },
                Aliases = args.Values("alias").Count > 0 ? [.. args.Values("alias")] : null,
                Links = args.Values("link").Count > 0 ? [.. args.Values("link")] : null,
                DriverOpts = driverOpts.Count > 0 ? driverOpts : null,
                GwPriority = args.Int("gw-priority") ?? 0,
            },
        };
        await context.Client.Networks.ConnectAsync(args.Positionals[0], request, cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary>pflag's string slices: each value may carry several, comma-separated.</summary>
    private static List<string> Strings(IReadOnlyList<string> values) =>
        [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries))];

    /// <summary>"key=value" pairs, trimmed, as docker's convertDriverOpt reads them.</summary>
    internal static Dictionary<string, string> DriverOpts(IEnumerable<string> options)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in options)
        {
            var eq = option.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? "" : option[..eq].Trim();
            if (key.Length == 0)
            {
                throw new CliUsageException("invalid key/value pair format in driver options", 1);
            }

            result[key] = option[(eq + 1)..].Trim();
        }

        return result;
    }
}
