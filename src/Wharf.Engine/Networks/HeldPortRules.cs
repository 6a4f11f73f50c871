namespace Wharf.Engine.Networks;

/// <summary>Port rules waiting to be added to the kernel. A published port works from the moment its proxy is bound
/// (the proxy serves every host address), so its DNAT rules, which only add speed and keep the client's source
/// address, can wait a moment; a container removed within that moment (`docker run --rm -p ...` of a short job)
/// takes its rules back before they ever reach the kernel, and its start and removal cost no iptables-restore at
/// all. Each publication is held on its own (a later container's rules are not sent early with an earlier one's);
/// lines are a multiset, as two endpoints may want the same line one after the other (a released address reused).</summary>
public sealed class HeldPortRules
{
    private readonly Lock _gate = new();
    private readonly List<List<FirewallRule>> _batches = [];

    /// <summary>Holds <paramref name="rules"/>; the token is what <see cref="Release"/> sends when the hold ends.</summary>
    public object Hold(IReadOnlyList<FirewallRule> rules)
    {
        var batch = rules.ToList();
        lock (_gate) _batches.Add(batch);
        return batch;
    }

    /// <summary>Takes back the held ones of <paramref name="rules"/> and hands the others (already in the kernel, or
    /// queued for it) to <paramref name="delete"/>. The hand-over happens under the same lock as a release's, so a
    /// deletion is never queued ahead of the addition it undoes.</summary>
    public void Withdraw(IReadOnlyList<FirewallRule> rules, Action<IReadOnlyList<FirewallRule>> delete)
    {
        lock (_gate)
        {
            var applied = rules.Where(rule => !TakeBack(rule)).ToList();
            _batches.RemoveAll(b => b.Count == 0);
            if (applied.Count > 0) delete(applied);
        }
    }

    /// <summary>Hands what is still held of one hold to <paramref name="add"/> (which queues it for the kernel).</summary>
    public void Release(object token, Action<IReadOnlyList<FirewallRule>> add)
    {
        lock (_gate)
        {
            if (token is not List<FirewallRule> batch || !_batches.Remove(batch) || batch.Count == 0) return;
            add(batch);
        }
    }

    /// <summary>Hands everything held to <paramref name="add"/> at once (a flush, shutdown).</summary>
    public void ReleaseAll(Action<IReadOnlyList<FirewallRule>> add)
    {
        lock (_gate)
        {
            var all = _batches.SelectMany(b => b).ToList();
            _batches.Clear();
            if (all.Count > 0) add(all);
        }
    }

    private bool TakeBack(FirewallRule rule)
    {
        foreach (var batch in _batches)
            if (batch.Remove(rule)) return true;
        return false;
    }
}
