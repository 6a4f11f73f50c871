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
        Links.Remove(name);
    }

    public bool LinkExists(string name) => Links.Contains(name);

    public IReadOnlyList<NetAddress> HostRoutes() => Routes;
}
