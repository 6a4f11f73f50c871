using Wharf.Api.Swarm;

namespace Wharf.Daemon.Swarm;

/// <summary>swarmkit's defaults for what a spec leaves out (a section, or a zero value in it), so that GET /swarm
/// shows the same spec as Docker after `docker swarm init`.</summary>
internal static class SwarmSpecDefaults
{
    public static SwarmSpec Complete(SwarmSpec? given)
    {
        var spec = given ?? new SwarmSpec();
        return new SwarmSpec
        {
            Name = string.IsNullOrEmpty(spec.Name) ? "default" : spec.Name,
            Labels = spec.Labels ?? [],
            Orchestration = new SwarmOrchestration { TaskHistoryRetentionLimit = spec.Orchestration?.TaskHistoryRetentionLimit ?? 5 },
            Raft = new SwarmRaft
            {
                SnapshotInterval = NonZero(spec.Raft?.SnapshotInterval) ?? 10000,
                KeepOldSnapshots = spec.Raft?.KeepOldSnapshots ?? 0,
                LogEntriesForSlowFollowers = NonZero(spec.Raft?.LogEntriesForSlowFollowers) ?? 500,
                ElectionTick = spec.Raft?.ElectionTick is > 0 and var election ? election : 10,
                HeartbeatTick = spec.Raft?.HeartbeatTick is > 0 and var heartbeat ? heartbeat : 1,
            },
            Dispatcher = new SwarmDispatcher { HeartbeatPeriod = spec.Dispatcher?.HeartbeatPeriod is > 0 and var period ? period : 5_000_000_000 },
            CAConfig = new SwarmCaConfig
            {
                NodeCertExpiry = spec.CAConfig?.NodeCertExpiry is > 0 and var expiry ? expiry : 7_776_000_000_000_000,
                ExternalCAs = spec.CAConfig?.ExternalCAs,
                ForceRotate = spec.CAConfig?.ForceRotate,
            },
            TaskDefaults = spec.TaskDefaults ?? new SwarmTaskDefaults(),
            EncryptionConfig = new SwarmEncryptionConfig { AutoLockManagers = spec.EncryptionConfig?.AutoLockManagers ?? false },
        };
    }

    private static ulong? NonZero(ulong? value) => value is > 0 ? value : null;
}
