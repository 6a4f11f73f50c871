using System.Net;
using System.Text;
using Wharf.Core.Errors;

namespace Wharf.Engine.Containers.Files;

/// <summary>Contents of the /etc/hostname, /etc/hosts and /etc/resolv.conf files the daemon generates for each
/// container and bind-mounts into it. Pure text in, text out; writing them is the caller's job.</summary>
public static class ContainerFiles
{
    private const string DefaultHosts =
        "127.0.0.1\tlocalhost\n" +
        "::1\tlocalhost ip6-localhost ip6-loopback\n" +
        "fe00::0\tip6-localnet\n" +
        "ff00::0\tip6-mcastprefix\n" +
        "ff02::1\tip6-allnodes\n" +
        "ff02::2\tip6-allrouters\n";

    public static string Hostname(string hostname) => hostname + "\n";

    /// <summary>Docker's default hosts file, then one line per <c>--add-host</c> ("name:ip" or "name=ip"), then
    /// the container's own address when it has one.</summary>
    /// <param name="hostGatewayIp">What the special value "host-gateway" stands for; null when unknown.</param>
    public static string Hosts(
        string hostname,
        string domainname,
        IEnumerable<string> extraHosts,
        string? containerIp,
        string? hostGatewayIp = null)
    {
        ArgumentNullException.ThrowIfNull(extraHosts);
        var text = new StringBuilder(DefaultHosts);
        foreach (var extra in extraHosts)
        {
            var (name, ip) = ParseExtraHost(extra, hostGatewayIp);
            text.Append(ip).Append('\t').Append(name).Append('\n');
        }

        if (!string.IsNullOrEmpty(containerIp))
        {
            text.Append(containerIp).Append('\t');
            if (!string.IsNullOrEmpty(domainname))
            {
                text.Append(hostname).Append('.').Append(domainname).Append(' ');
            }

            text.Append(hostname).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Validates one <c>--add-host</c> value at create time (same rules as <see cref="Hosts"/>).</summary>
    public static void ValidateExtraHost(string extraHost) => ParseExtraHost(extraHost, "0.0.0.0");

    /// <summary>The container's resolv.conf from the host's. Without overrides, the host's file is kept except
    /// for loopback nameservers (127.0.0.0/8, ::1), which are unreachable from the container's own network
    /// namespace (with host networking they are kept). Dns / DnsSearch / DnsOptions replace the nameserver,
    /// search and options lines respectively, like Docker ("." as the only search domain means none).</summary>
    public static string ResolvConf(
        string hostResolvConf,
        IReadOnlyList<string> dns,
        IReadOnlyList<string> dnsSearch,
        IReadOnlyList<string> dnsOptions,
        bool hostNetwork = false)
    {
        ArgumentNullException.ThrowIfNull(hostResolvConf);
        ArgumentNullException.ThrowIfNull(dns);
        ArgumentNullException.ThrowIfNull(dnsSearch);
        ArgumentNullException.ThrowIfNull(dnsOptions);

        var otherLines = new List<string>();
        var nameservers = new List<string>();
        var search = new List<string>();
        var options = new List<string>();
        foreach (var rawLine in hostResolvConf.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            switch (fields.FirstOrDefault())
            {
                case "nameserver" when fields.Length > 1:
                    if (hostNetwork || !IsLoopback(fields[1]))
                    {
                        nameservers.Add(fields[1]);
                    }

                    break;
                case "search" or "domain":
                    // The last search/domain line wins in glibc; keep that behaviour.
                    search = [.. fields.Skip(1)];
                    break;
                case "options":
                    options.AddRange(fields.Skip(1));
                    break;
                default:
                    if (line.Trim().Length > 0)
                    {
                        otherLines.Add(line);
                    }

                    break;
            }
        }

        if (dns.Count > 0)
        {
            nameservers = [.. dns];
        }

        if (dnsSearch.Count > 0)
        {
            search = dnsSearch is ["."] ? [] : [.. dnsSearch];
        }

        if (dnsOptions.Count > 0)
        {
            options = [.. dnsOptions];
        }

        var text = new StringBuilder();
        foreach (var line in otherLines)
        {
            text.Append(line).Append('\n');
        }

        if (search.Count > 0)
        {
            text.Append("search ").AppendJoin(' ', search).Append('\n');
        }

        foreach (var server in nameservers)
        {
            text.Append("nameserver ").Append(server).Append('\n');
        }

        if (options.Count > 0)
        {
            text.Append("options ").AppendJoin(' ', options).Append('\n');
        }

        return text.ToString();
    }

    private static bool IsLoopback(string address)
    {
        // A zone suffix ("fe80::1%eth0") is not part of the address proper.
        var percent = address.IndexOf('%', StringComparison.Ordinal);
        var bare = percent >= 0 ? address[..percent] : address;
        return IPAddress.TryParse(bare, out var ip) && IPAddress.IsLoopback(ip);
    }

    private static (string Name, string Ip) ParseExtraHost(string extraHost, string? hostGatewayIp)
    {
        ArgumentNullException.ThrowIfNull(extraHost);
        // "name=ip" is the newer form; "name:ip" splits at the first colon so IPv6 addresses survive.
        var separator = extraHost.IndexOf('=', StringComparison.Ordinal);
        if (separator < 0)
        {
            separator = extraHost.IndexOf(':', StringComparison.Ordinal);
        }

        if (separator <= 0)
        {
            throw EngineException.Invalid($"invalid extra host entry: {extraHost}: bad format");
        }

        var name = extraHost[..separator];
        var ip = extraHost[(separator + 1)..];
        if (ip == "host-gateway")
        {
            ip = hostGatewayIp
                ?? throw EngineException.Invalid($"invalid extra host entry: {extraHost}: host-gateway is not available");
        }
        else
        {
            // Brackets are allowed around IPv6 ("name=[::1]").
            var unbracketed = ip.StartsWith('[') && ip.EndsWith(']') ? ip[1..^1] : ip;
            if (!IPAddress.TryParse(unbracketed, out _))
            {
                throw EngineException.Invalid($"invalid IP address in add-host: \"{ip}\"");
            }

            ip = unbracketed;
        }

        return (name, ip);
    }
}
