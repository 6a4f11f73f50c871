using System.Net;
using Wharf.Api.Client;
using Wharf.Api.Networks;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Commands.Networks;

internal sealed class NetworkCreateCommand : ICommand
{
    public string Name => "network create";

    public string Usage => "network create [OPTIONS] NETWORK";

    public string Description => "Create a network";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Value("driver", 'd', "Driver to manage the Network", "string", "bridge"),
        OptionSpec.Value("subnet", null, "Subnet in CIDR format that represents a network segment", "strings"),
        OptionSpec.Value("gateway", null, "IPv4 or IPv6 Gateway for the master subnet", "strings"),
        OptionSpec.Value("ip-range", null, "Allocate container ip from a sub-range", "strings"),
        OptionSpec.Value("opt", 'o', "Set driver specific options", "map", "map[]"),
        OptionSpec.Value("label", null, "Set metadata on a network", "list"),
        OptionSpec.Flag("internal", null, "Restrict external access to the network"),
        OptionSpec.Flag("attachable", null, "Enable manual container attachment"),
        OptionSpec.Flag("ipv4", null, "Enable or disable IPv4 address assignment", "true"),
        OptionSpec.Flag("ipv6", null, "Enable or disable IPv6 address assignment"),
        OptionSpec.Value("ipam-opt", null, "Set IPAM driver specific options", "map", "map[]"),
        OptionSpec.Value("aux-address", null, "Auxiliary IPv4 or IPv6 addresses used by Network driver", "map", "map[]"),
        OptionSpec.Value("ipam-driver", null, "IP Address Management Driver", "string", "default"),
    ];

    public async Task<int> ExecuteAsync(CliContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals.Count != 1) throw new CliUsageException("\"wharf network create\" requires exactly 1 argument.", 1);
        var subnets = args.Values("subnet");
        var gateways = args.Values("gateway");
        var ranges = args.Values("ip-range");
        var config = new List<IpamConfig>();
        for (var i = 0; i < subnets.Count; i++)
            config.Add(new IpamConfig { Subnet = subnets[i], Gateway = i < gateways.Count ? gateways[i] : null, IPRange = i < ranges.Count ? ranges[i] : null });
        if (subnets.Count == 0 && (gateways.Count > 0 || ranges.Count > 0))
        {
            await context.Err.WriteLineAsync("Error: every ip-range or gateway must have a corresponding subnet").ConfigureAwait(false);
            return 1;
        }
        foreach (var (name, address) in KeyValues(args.Values("aux-address")))
        {
            // docker gives each auxiliary address to the subnet that holds it.
            var owner = config.FirstOrDefault(c => Contains(c.Subnet!, address));
            if (owner is null)
            {
                await context.Err.WriteLineAsync($"Error: no matching subnet for aux-address {address} (give the subnet that holds it with --subnet)").ConfigureAwait(false);
                return 1;
            }

            (owner.AuxiliaryAddresses ??= new Dictionary<string, string>(StringComparer.Ordinal))[name] = address;
        }

        var ipamOptions = KeyValues(args.Values("ipam-opt"));
        var request = new NetworkCreateRequest
        {
            Name = args.Positionals[0],
            Driver = args.Value("driver") ?? "bridge",
            Internal = args.Flag("internal"),
            Attachable = args.Flag("attachable"),
            // Sent only when given, as docker does: the daemon's default applies otherwise.
            EnableIPv4 = args.Has("ipv4") ? args.Flag("ipv4") : null,
            EnableIPv6 = args.Has("ipv6") ? args.Flag("ipv6") : null,
            IPAM = new Ipam { Driver = args.Value("ipam-driver") ?? "default", Config = config, Options = ipamOptions.Count == 0 ? null : ipamOptions },
            Options = KeyValues(args.Values("opt")),
            Labels = KeyValues(args.Values("label")),
        };
        var response = await context.Client.Networks.CreateAsync(request, cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync(response.Id).ConfigureAwait(false);
        return 0;
    }

    private static bool Contains(string subnet, string address) =>
        IPNetwork.TryParse(subnet, out var network) && IPAddress.TryParse(address, out var ip) && network.Contains(ip);

    private static Dictionary<string, string> KeyValues(IReadOnlyList<string> values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var eq = value.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0) result[value] = "";
            else result[value[..eq]] = value[(eq + 1)..];
        }
        return result;
    }
}
