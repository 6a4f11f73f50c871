using System.Net;
using Wharf.Core.Errors;

namespace Wharf.Engine.Networks;

/// <summary>The static checks Docker's daemon makes on a create request's IPAM config before any pool is requested:
/// every problem of every pool is collected and reported at once, in the daemon's words ("invalid network config:"
/// then one line per problem), as a 400. The docker CLI has its own, different wording ("no matching subnet for
/// gateway"), but requests that bypass it (SDKs, compose, curl) see the daemon's.</summary>
public static class IpamConfigRules
{
    public static void Validate(IReadOnlyList<IpamPool> pools)
    {
        ArgumentNullException.ThrowIfNull(pools);
        var errors = new List<string>();
        foreach (var pool in pools)
        {
            // An empty subnet (the docker CLI never sends one) is no CIDR block either.
            if (!TryParseCidr(pool.Subnet, out var subnet))
            {
                errors.Add($"invalid subnet {pool.Subnet}: invalid CIDR block notation");
                continue;
            }
            if (!IsMasked(pool.Subnet, subnet)) errors.Add($"invalid subnet {pool.Subnet}: it should be {subnet}");
            CheckRange(pool.IPRange, subnet, errors);
            if (AddressProblem(pool.Gateway, subnet) is { } problem) errors.Add($"invalid gateway {pool.Gateway}: {problem}");
            foreach (var (name, address) in pool.AuxiliaryAddresses)
                if (AddressProblem(address, subnet) is { } auxProblem) errors.Add($"invalid auxiliary address {name}: {auxProblem}");
        }
        if (errors.Count == 0) return;
        var joined = errors.Count == 1 ? errors[0] : "* " + string.Join("\n* ", errors);
        throw EngineException.Invalid("invalid network config:\n" + joined);
    }

    private static void CheckRange(string range, Subnet subnet, List<string> errors)
    {
        if (string.IsNullOrEmpty(range)) return;
        if (!TryParseCidr(range, out var prefix))
        {
            errors.Add($"invalid ip-range {range}: invalid CIDR block notation");
            return;
        }
        if (prefix.IsV6 != subnet.IsV6)
        {
            errors.Add($"invalid ip-range {range}: parent subnet is an {Family(subnet)} block");
            return;
        }
        if (prefix.PrefixLength < subnet.PrefixLength)
            errors.Add($"invalid ip-range {range}: CIDR block is bigger than its parent subnet {subnet}");
        if (!IsMasked(range, prefix)) errors.Add($"invalid ip-range {range}: it should be {prefix}");
        if (!subnet.Overlaps(prefix)) errors.Add($"invalid ip-range {range}: parent subnet {subnet} doesn't contain ip-range");
    }

    private static string? AddressProblem(string address, Subnet subnet)
    {
        if (string.IsNullOrEmpty(address)) return null;
        if (!TryParseAddress(address, out var ip)) return "invalid address";
        if ((ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) != subnet.IsV6) return $"parent subnet is an {Family(subnet)} block";
        return subnet.Contains(ip) ? null : $"parent subnet {subnet} doesn't contain this address";
    }

    private static bool TryParseCidr(string? text, out Subnet subnet)
    {
        subnet = null!;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        return slash > 0 && TryParseAddress(text![..slash], out _) && Subnet.TryParse(text, out subnet);
    }

    /// <summary>Go's strict form: .NET alone would also take "10.1" (as 10.0.0.1) or "10.1.0" like inet_aton.</summary>
    private static bool TryParseAddress(string text, out IPAddress ip)
    {
        ip = IPAddress.None;
        if (text.Contains(':', StringComparison.Ordinal)) return IPAddress.TryParse(text, out ip!) && !text.Contains('/', StringComparison.Ordinal);
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit)) && IPAddress.TryParse(text, out ip!);
    }

    /// <summary>No host bits set: the address part is the network address itself (compared as addresses, so
    /// "fd00:0001::/64" is as good as "fd00:1::/64").</summary>
    private static bool IsMasked(string cidr, Subnet parsed) =>
        IPAddress.TryParse(cidr[..cidr.IndexOf('/', StringComparison.Ordinal)], out var ip) && ip.Equals(parsed.Network);

    private static string Family(Subnet subnet) => subnet.IsV6 ? "IPv6" : "IPv4";
}
