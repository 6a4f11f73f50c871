namespace Wharf.Api.Swarm;

/// <summary>A swarm's user-modifiable configuration (the spec's SwarmSpec). Sections a client leaves out are null on
/// the way in and filled with swarmkit's defaults before they are kept.</summary>
public sealed class SwarmSpec
{
    public string? Name { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public SwarmOrchestration? Orchestration { get; set; }
    public SwarmRaft? Raft { get; set; }
    public SwarmDispatcher? Dispatcher { get; set; }
    public SwarmCaConfig? CAConfig { get; set; }
    public SwarmEncryptionConfig? EncryptionConfig { get; set; }
    public SwarmTaskDefaults? TaskDefaults { get; set; }
}

public sealed class SwarmOrchestration
{
    public long? TaskHistoryRetentionLimit { get; set; }
}

public sealed class SwarmRaft
{
    public ulong? SnapshotInterval { get; set; }
    public ulong? KeepOldSnapshots { get; set; }
    public ulong? LogEntriesForSlowFollowers { get; set; }
    public int? ElectionTick { get; set; }
    public int? HeartbeatTick { get; set; }
}

public sealed class SwarmDispatcher
{
    /// <summary>Nanoseconds.</summary>
    public long? HeartbeatPeriod { get; set; }
}

public sealed class SwarmCaConfig
{
    /// <summary>Nanoseconds.</summary>
    public long? NodeCertExpiry { get; set; }
    public List<global::System.Text.Json.JsonElement>? ExternalCAs { get; set; }
    public string? SigningCACert { get; set; }
    public string? SigningCAKey { get; set; }
    public ulong? ForceRotate { get; set; }
}

public sealed class SwarmEncryptionConfig
{
    public bool AutoLockManagers { get; set; }
}

public sealed class SwarmTaskDefaults
{
    public SwarmLogDriver? LogDriver { get; set; }
}

public sealed class SwarmLogDriver
{
    public string? Name { get; set; }
    public Dictionary<string, string>? Options { get; set; }
}
