using System.Text.Json;
using Microsoft.Extensions.Logging;
using Wharf.Engine.Storage;

namespace Wharf.Engine.Networks;

/// <summary>The bridges this daemon created (data-root/network/ledger/bridges.json): an entry is written before the
/// link is created and removed only after it is deleted. A daemon killed in between (in the middle of `network rm`,
/// or a record deleted by hand while it was down) finds at start a bridge in the ledger that no network owns, and
/// deletes it and its rules. Bridges it never created, Docker's own br-&lt;id&gt; among them, are never in it, so
/// they are never touched. Each entry is a copy of its network without endpoints: enough to rebuild its rules.</summary>
internal sealed class BridgeLedger
{
    private readonly string _path;
    private readonly Lock _gate = new();
    private readonly List<NetworkRecord> _entries = [];

    public BridgeLedger(string networkDir, ILogger logger)
    {
        var dir = Path.Combine(networkDir, "ledger");
        Directory.CreateDirectory(dir);
        _path = Path.Combine(dir, "bridges.json");
        try
        {
            if (File.Exists(_path)) _entries.AddRange(JsonSerializer.Deserialize(File.ReadAllBytes(_path), BridgeLedgerJsonContext.Default.ListNetworkRecord) ?? []);
        }
        catch (JsonException e)
        {
            // Unreadable: reconcile nothing rather than guess; the records re-add their bridges at start.
            NetworkLog.LedgerUnreadable(logger, _path, e.Message);
        }
    }

    public IReadOnlyList<NetworkRecord> Entries
    {
        get { lock (_gate) return [.. _entries]; }
    }

    public bool Contains(string bridge)
    {
        lock (_gate) return _entries.Any(e => e.Interface == bridge);
    }

    /// <summary>Records <paramref name="network"/>'s bridge (durably: it must be on disk before the link exists).</summary>
    public void Add(NetworkRecord network)
    {
        var entry = new NetworkRecord
        {
            Id = network.Id,
            Name = network.Name,
            Driver = network.Driver,
            Created = network.Created,
            EnableIPv6 = network.EnableIPv6,
            Internal = network.Internal,
            Interface = network.Interface,
            Ipam = [.. network.Ipam.Select(p => new IpamPool { Subnet = p.Subnet, Gateway = p.Gateway, IPRange = p.IPRange })],
            Options = new Dictionary<string, string>(network.Options, StringComparer.Ordinal),
        };
        lock (_gate)
        {
            _entries.RemoveAll(e => e.Interface == network.Interface);
            _entries.Add(entry);
            Save();
        }
    }

    /// <summary>Forgets <paramref name="bridge"/> (after its link was deleted).</summary>
    public void Remove(string bridge)
    {
        lock (_gate)
        {
            if (_entries.RemoveAll(e => e.Interface == bridge) > 0) Save();
        }
    }

    private void Save() => AtomicFile.Write(_path, JsonSerializer.SerializeToUtf8Bytes(_entries, BridgeLedgerJsonContext.Default.ListNetworkRecord));
}
