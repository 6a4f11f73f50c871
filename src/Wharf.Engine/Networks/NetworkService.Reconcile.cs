namespace Wharf.Engine.Networks;

/// <summary>Crash leftovers at start: bridges this daemon created (see <see cref="BridgeLedger"/>) that no network
/// owns any more are deleted with their rules. Only ledger entries are candidates, never a link merely named like
/// ours.</summary>
public sealed partial class NetworkService
{
    private readonly BridgeLedger _ledger;

    /// <summary>How the firewall describes itself (its backend and programs) for the daemon's start log; null
    /// without iptables.</summary>
    public Func<string>? DescribeFirewall { get; init; }

    /// <summary>Bridges in the ledger that no network record owns (the record's removal was the last step that
    /// completed). Records whose bridge is not in the ledger yet (written by an older daemon) are entered.</summary>
    private List<NetworkRecord> RecordBridgesAndFindStale()
    {
        var owned = All().Where(n => n.Driver == "bridge").ToList();
        foreach (var network in owned.Where(n => !_ledger.Contains(n.Interface))) _ledger.Add(network);
        var names = owned.Select(n => n.Interface).ToHashSet(StringComparer.Ordinal);
        return _ledger.Entries.Where(e => !names.Contains(e.Interface)).ToList();
    }

    /// <summary>Deletes the stale bridges (their rules went in the start's firewall batch); an entry stays in the
    /// ledger while its link could not be deleted, so the next start tries again.</summary>
    private void DeleteStaleBridges(IReadOnlyList<NetworkRecord> stale)
    {
        foreach (var network in stale)
            if (TryDeleteLink(network.Interface)) _ledger.Remove(network.Interface);
    }
}
