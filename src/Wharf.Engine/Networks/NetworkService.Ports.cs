using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Wharf.Engine.Networks;

/// <summary>Published ports' firewall rules (Docker's DNAT/ACCEPT/MASQUERADE) and the kernel teardown of released
/// containers, queued so that releases in flight together share it; the answers wait for it (<see cref="WhenTornDown"/>).</summary>
public sealed partial class NetworkService
{
    /// <summary>Per container, the last teardown queued for it (FIFO: once it has run, so has every earlier one).</summary>
    private readonly Dictionary<string, Task> _pendingTeardowns = new(StringComparer.Ordinal);
    private readonly Lock _persistGate = new();

    /// <summary>Teardown and rule work, in order (see <see cref="SerialWorker"/>).</summary>
    private SerialWorker Background => _background ??= new SerialWorker(e => NetworkLog.BackgroundWorkFailed(_logger, e)); // best effort; a restart reconciles
    private SerialWorker? _background;

    private readonly HeldPortRules _heldPortRules = new();

    /// <summary>Waits until queued teardown and rule changes are done, held port rules included (tests, shutdown,
    /// a restarted container).</summary>
    public void FlushBackgroundWork()
    {
        ReleaseHeldPortRules();
        _background?.Flush();
    }

    /// <summary>The rules of the ports published on <paramref name="endpoint"/>. Loopback-only bindings get none:
    /// OUTPUT never DNATs 127.0.0.0/8, the in-daemon proxy serves them (as docker-proxy does). IPv6 bindings are
    /// served by the proxy alone.</summary>
    private IReadOnlyList<FirewallRule> PortRulesOf(NetworkRecord network, EndpointRecord endpoint)
    {
        if (!CapabilitiesOf(network).SupportsPorts || endpoint.IPv4Address.Length == 0 || endpoint.Ports.Count == 0) return [];
        var containerIp = ParseCidr(endpoint.IPv4Address).Address.ToString();
        var rules = new List<FirewallRule>();
        foreach (var (key, mappings) in endpoint.Ports)
        {
            var (containerPort, protocol) = PortPublisher.ParsePortKey(key);
            foreach (var mapping in mappings)
            {
                var hostIp = IPAddress.TryParse(mapping.HostIp, out var parsed) ? parsed : IPAddress.Any;
                if (IPAddress.IsLoopback(hostIp) || hostIp.AddressFamily != AddressFamily.InterNetwork) continue;
                if (!int.TryParse(mapping.HostPort, CultureInfo.InvariantCulture, out var hostPort) || hostPort == 0) continue;
                rules.AddRange(_rules.ForPort(network.Interface, containerIp, containerPort, protocol, hostIp.Equals(IPAddress.Any) ? "" : hostIp.ToString(), hostPort));
            }
        }
        // Two host ports for one container port share the ACCEPT and MASQUERADE rules.
        return rules.DistinctBy(r => (r.Table, r.Line)).ToList();
    }

    /// <summary>Every live endpoint's port rules (a restart re-creates the missing ones).</summary>
    private IEnumerable<FirewallRule> AllPortRules()
    {
        foreach (var network in All().Where(n => CapabilitiesOf(n).SupportsPorts))
        {
            List<EndpointRecord> endpoints;
            lock (_gate) endpoints = [.. network.Endpoints.Values];
            foreach (var endpoint in endpoints)
                foreach (var rule in PortRulesOf(network, endpoint)) yield return rule;
        }
    }

    /// <summary>Holds the rules for <see cref="NetworkOptions.PortRuleHold"/> (see <see cref="HeldPortRules"/>), then
    /// appends everything held by then in one iptables-restore without reading the rule set first. A start never
    /// waits for it: until the rules land the proxy, bound on the same host port, serves every address.</summary>
    private void AddPortRules(IReadOnlyList<FirewallRule> rules)
    {
        if (_firewall is null || rules.Count == 0) return;
        var hold = _heldPortRules.Hold(rules);
        Task.Delay(_options.PortRuleHold, _time).ContinueWith(_ => _heldPortRules.Release(hold, QueuePortRuleAddition),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Observe(_logger, "port rule hold");
    }

    private void ReleaseHeldPortRules() => _heldPortRules.ReleaseAll(QueuePortRuleAddition);

    private void QueuePortRuleAddition(IReadOnlyList<FirewallRule> rules)
    {
        if (_firewall is not { } firewall) return;
        // Deletions asked for from now on go behind this addition (they may undo it), not into a batch queued before.
        lock (_deletionGate) _openDeletion = null;
        Background.Enqueue(() =>
        {
            lock (_firewallGate) firewall.Apply(FirewallRules.Direct(rules, delete: false));
        });
    }

    /// <summary>Deletions queued and not yet started, merged into one iptables-restore: 100 containers removed at once
    /// cost one kernel commit instead of 100 (their answers wait for it). Guarded by <see cref="_deletionGate"/>; taken
    /// (closed) when its turn in the queue comes, or when an addition is queued after it.</summary>
    private List<FirewallRule>? _openDeletion;
    private readonly Lock _deletionGate = new();

    /// <summary>Takes back rules still held; deletes the others, and when some are already gone (a crash, a user)
    /// falls back to deleting those present.</summary>
    private void RemovePortRules(IReadOnlyList<FirewallRule> all)
    {
        if (_firewall is null || all.Count == 0) return;
        _heldPortRules.Withdraw(all, rules =>
        {
            lock (_deletionGate)
            {
                if (_openDeletion is { } open)
                {
                    open.AddRange(rules);
                    return;
                }
                var batch = new List<FirewallRule>(rules);
                _openDeletion = batch;
                Background.Enqueue(() => DeletePortRules(TakeDeletion(batch)));
            }
        });
    }

    private List<FirewallRule> TakeDeletion(List<FirewallRule> batch)
    {
        lock (_deletionGate)
        {
            if (ReferenceEquals(_openDeletion, batch)) _openDeletion = null;
            return [.. batch];
        }
    }

    private void DeletePortRules(IReadOnlyList<FirewallRule> rules)
    {
        lock (_firewallGate)
        {
            try
            {
                _firewall!.Apply(FirewallRules.Direct(rules, delete: true));
            }
            catch (IOException e)
            {
                NetworkLog.PortRulesPartlyGone(_logger, e.Message);
                var batch = _rules.Batch(CurrentRules(), [], rules, deleteChains: false);
                if (batch.Length > 0) _firewall!.Apply(batch);
            }
        }
    }

    /// <summary>Port rules present in the kernel for endpoints that no longer exist (a daemon killed between a
    /// container's exit and its teardown): found by shape in our chains, and for hairpin MASQUERADE rules in
    /// POSTROUTING, only addresses in our own subnets (other daemons' rules are none of ours).</summary>
    private IEnumerable<FirewallRule> StalePortRules(IReadOnlyDictionary<string, IReadOnlyList<string>> current, IReadOnlyList<FirewallRule> wanted, IReadOnlyList<NetworkRecord> gone)
    {
        var subnets = All().Concat(gone).Where(n => CapabilitiesOf(n).SupportsPorts).SelectMany(n => n.Ipam).Select(p => Subnet.TryParse(p.Subnet, out var s) ? s : null).OfType<Subnet>().ToList();
        var wantedLines = wanted.Select(w => (w.Table, w.Line)).ToHashSet();
        foreach (var (table, lines) in current)
            foreach (var line in lines.Where(l => _rules.IsPortRule(table, l) && !wantedLines.Contains((table, l))))
            {
                if (line.StartsWith("-A POSTROUTING ", StringComparison.Ordinal))
                {
                    var source = line.Split(' ')[3];
                    if (!IPAddress.TryParse(source[..source.IndexOf('/', StringComparison.Ordinal)], out var ip) || !subnets.Any(s => s.Contains(ip))) continue;
                }
                yield return new FirewallRule(table, line);
            }
    }

    /// <summary>Writes the network's record if it still exists: a queued write must not bring back the file of a
    /// network removed meanwhile.</summary>
    private void PersistIfPresent(NetworkRecord network)
    {
        lock (_persistGate)
        {
            lock (_gate)
                if (!_byId.ContainsKey(network.Id)) return;
            Persist(network);
        }
    }

    private void DeleteRecordFile(NetworkRecord network)
    {
        lock (_persistGate) File.Delete(Path.Combine(StoreDir, network.Id + ".json"));
    }

    /// <summary>Completes when the kernel teardown queued so far for <paramref name="containerId"/> (its port rules
    /// deleted, its namespace unpinned, its veths deleted, the networks' records written) has run: `docker rm` and the
    /// end of a run are answered only then, as Docker answers after its sandbox is deleted. Never faults.</summary>
    public Task WhenTornDown(string containerId)
    {
        lock (_gate) return _pendingTeardowns.GetValueOrDefault(containerId) ?? Task.CompletedTask;
    }

    /// <summary>A container being started again must not have its new namespace pin removed by the teardown of
    /// its previous run still in the queue.</summary>
    private void WaitForPendingUnpin(string containerId) => WhenTornDown(containerId).Wait();

    private void QueueUnpin(string containerId, IReadOnlyList<(NetworkRecord Network, EndpointRecord Endpoint)> released)
    {
        var path = NamespacePath(containerId);
        if (released.Count == 0 && !File.Exists(path)) return;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _pendingTeardowns[containerId] = done.Task;
        Background.Enqueue(() =>
        {
            try
            {
                // The host ends go first, each deleted at once with its pair. Unpinning first would leave them to the
                // kernel's netns cleanup, which runs later in a workqueue: the veths outlived the answer by seconds.
                var pinned = File.Exists(path) ? path : null;
                foreach (var (network, endpoint) in released)
                    if (Drivers.TryGet(network.Driver, out var driver)) CallDriver(driver.LeaveAsync(network, endpoint, pinned, CancellationToken.None));
                try { _namespaces.RemoveNetworkNamespace(path); }
                catch (IOException e) { NetworkLog.NamespaceNotRemoved(_logger, path, e.Message); }
                foreach (var network in released.Select(r => r.Network).Distinct()) PersistIfPresent(network);
            }
            finally
            {
                lock (_gate)
                {
                    if (_pendingTeardowns.TryGetValue(containerId, out var last) && last == done.Task) _pendingTeardowns.Remove(containerId);
                }
                done.TrySetResult();
            }
        });
    }
}
