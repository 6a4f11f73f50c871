namespace Wharf.Engine.Containers.Lifecycle;

/// <summary>What the reconciliation at daemon start found and mended, per kind (logged, and read by tests).</summary>
public sealed class ReconcileReport
{
    /// <summary>Shims whose container runs although its record said otherwise; the record follows the shim now.</summary>
    public int ShimsAdopted { get; set; }

    /// <summary>Shims sent away or killed: never started, unreachable, or serving no container.</summary>
    public int ShimsDismissed { get; set; }

    public int RootfsMounts { get; set; }

    public int StateDirectories { get; set; }

    /// <summary>Containers runc still knew (state, cgroup, processes) that do not run for the daemon.</summary>
    public int RuntimeLeftovers { get; set; }

    /// <summary>Containers that do not run but still had endpoints or a pinned network namespace.</summary>
    public int NetworkLeftovers { get; set; }
}
