using System.Net;
using Wharf.Core.Host;

namespace Wharf.TestKit;

/// <summary>INetlink that records every call, keeps a set of "existing" links, and can be told to fail the next N
/// link creations.</summary>
public sealed class RecordingNetlink : INetlink
{
    public List<string> Calls { get; } = [];
    public HashSet<string> Links { get; } = new(StringComparer.Ordinal) { "lo", "eth0" };
    public List<LinkRequest> Created { get; } = [];
    public Dictionary<string, List<NamespaceInterface>> Configured { get; } = new(StringComparer.Ordinal);
    public List<NetAddress> Routes { get; } = [];
    public int FailNextLinks { get; set; }

    /// <summary>The neighbour (ARP/NDP) and FDB entries now on each link, as the kernel would keep them.</summary>
    public List<(string Link, string Mac, IPAddress Destination, bool Fdb)> Entries { get; } = [];

    /// <summary>VXLAN links created: name → (VNI, local address, port, MTU, master).</summary>
    public Dictionary<string, (int Vni, IPAddress? Local, int Port, int Mtu, string? Master)> Vxlans { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs before a bridge is ensured (to observe what was written before the link exists).</summary>
    public Action<string>? BeforeBridge { get; set; }

    public void EnsureBridge(string name, int mtu, IReadOnlyList<NetAddress> addresses)
    {
        BeforeBridge?.Invoke(name);
        Calls.Add($"bridge {name} {string.Join(',', addresses)}");
        Links.Add(name);
    }

    public void EnsureVlan(string name, string parent, int vlanId)
    {
        Calls.Add($"vlan {name} {parent} {vlanId}");
        Links.Add(name);
    }

    public void CreateLink(LinkRequest request)
    {
        if (FailNextLinks > 0)
        {
            FailNextLinks--;
            throw new IOException($"netlink newlink {request.Name}: injected failure");
        }
        Calls.Add($"link {request.Kind} {request.Name} {request.PeerName}");
        Created.Add(request);
        if (request.Kind == "veth") Links.Add(request.Name);
    }

    public void ConfigureInNamespace(string namespacePath, IReadOnlyList<NamespaceInterface> interfaces)
    {
        Calls.Add($"configure {namespacePath}");
        if (!Configured.TryGetValue(namespacePath, out var list)) Configured[namespacePath] = list = [];
        list.AddRange(interfaces);
    }

    public void DeleteLink(string name, string? namespacePath = null)
    {
        Calls.Add($"delete {name}");
        Entries.RemoveAll(e => e.Link == name);
        Vxlans.Remove(name);
        Links.Remove(name);
    }

    public bool LinkExists(string name) => Links.Contains(name);

    public IReadOnlyList<NetAddress> HostRoutes() => Routes;

    public void CreateVxlan(string name, int vni, string? underlay, IPAddress? local, int port = 4789, int mtu = 0, string? master = null)
    {
        if (Links.Contains(name)) throw new IOException($"netlink newlink vxlan {name}: File exists");
        Calls.Add($"vxlan {name} {vni} {local} {port} {mtu} {master}");
        Vxlans[name] = (vni, local, port, mtu, master);
        Links.Add(name);
    }

    public void AddNeighbour(string link, string mac, IPAddress destination, bool fdb)
    {
        Calls.Add($"{(fdb ? "fdb" : "neigh")} add {link} {mac} {destination}");
        // Replace semantics: one entry per MAC (FDB) or per address (ARP).
        Entries.RemoveAll(e => e.Link == link && e.Fdb == fdb && (fdb ? e.Mac == mac : e.Destination.Equals(destination)));
        Entries.Add((link, mac, destination, fdb));
    }

    public void AppendFdb(string link, string mac, IPAddress destination)
    {
        Calls.Add($"fdb append {link} {mac} {destination}");
        if (!Entries.Contains((link, mac, destination, true))) Entries.Add((link, mac, destination, true));
    }

    public void DeleteNeighbour(string link, string mac, IPAddress destination, bool fdb)
    {
        Calls.Add($"{(fdb ? "fdb" : "neigh")} del {link} {mac} {destination}");
        if (Entries.RemoveAll(e => e.Link == link && e.Mac == mac && e.Destination.Equals(destination) && e.Fdb == fdb) == 0)
            throw new IOException($"netlink delneigh {mac} dev {link}: No such file or directory");
    }

    public IReadOnlyList<NeighbourEntry> Neighbours(string link, bool fdb) =>
        [.. Entries.Where(e => e.Link == link && e.Fdb == fdb).Select(e => new NeighbourEntry(e.Mac, e.Destination, 0x80))];
}
