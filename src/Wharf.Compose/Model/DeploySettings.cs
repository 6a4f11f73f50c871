namespace Wharf.Compose.Model;

/// <summary>The deploy: section as far as a single engine uses it (replicas live on the service). Kept
/// apart from the top-level mem_limit/cpus/pids_limit because Compose v2 hashes the two places differently.</summary>
public sealed class DeploySettings
{
    public string? Mode { get; set; }

    public string? EndpointMode { get; set; }

    public SortedDictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);

    /// <summary>deploy.resources.limits was given (even empty).</summary>
    public bool HasLimits { get; set; }

    public double? LimitsCpus { get; set; }

    public long? LimitsMemory { get; set; }

    public long? LimitsPids { get; set; }

    /// <summary>deploy.resources.reservations was given (even empty); only memory reaches a single engine.</summary>
    public bool HasReservations { get; set; }

    public double? ReservationsCpus { get; set; }

    public long? ReservationsMemory { get; set; }

    /// <summary>deploy.restart_policy: it wins over restart:, as in Compose.</summary>
    public DeployRestartPolicy? RestartPolicy { get; set; }
}
