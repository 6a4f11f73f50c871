namespace Wharf.Engine.Networks;

/// <summary>Port rules waiting to be added to the kernel. A published port works from the moment its proxy is bound
/// (the proxy serves every host address), so its DNAT rules, which only add speed and keep the client's source
/// address, can wait a moment; a container removed within that moment (`docker run --rm -p ...` of a short job)
/// takes its rules back before they ever reach the kernel, and its start and removal cost no iptables-restore at
/// all. A multiset: two endpoints may, one after the other, want the same line (a released address reused).</summary>
public sealed class HeldPortRules
{
    private readonly Lock _gate = new();
    private readonly List<FirewallRule> _held = [];

    /// <summary>Holds <paramref name="rules"/>; true when the set was empty, i.e. a release must be scheduled.</summary>
    public bool Hold(IReadOnlyList<FirewallRule> rules)
    {
        lock (_gate)
        {
            var wasEmpty = _held.Count == 0;
            _held.AddRange(rules);
            return wasEmpty && _held.Count > 0;
        }
    }

    /// <summary>Takes back the held ones of <paramref name="rules"/> and hands the others (already in the kernel, or
    /// queued for it) to <paramref name="delete"/>. The hand-over happens under the same lock as a release's, so a
    /// deletion is never queued ahead of the addition it undoes.</summary>
    public void Withdraw(IReadOnlyList<FirewallRule> rules, Action<IReadOnlyList<FirewallRule>> delete)
    {
        lock (_gate)
        {
            var applied = rules.Where(rule => !_held.Remove(rule)).ToList();
            if (applied.Count > 0) delete(applied);
        }
    }

    /// <summary>Hands everything held to <paramref name="add"/> (which queues it for the kernel).</summary>
    public void Release(Action<IReadOnlyList<FirewallRule>> add)
    {
        lock (_gate)
        {
            if (_held.Count == 0) return;
            add(_held.ToList());
            _held.Clear();
        }
    }
}
