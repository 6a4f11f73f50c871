namespace Wharf.Daemon.Configuration;

/// <summary>The daemon's effective settings: daemon.json, then command-line flags on top (as dockerd does,
/// except that dockerd refuses a key given both ways; we let the flag win and say so in the log).</summary>
internal sealed record DaemonSettings
{
    public const string DefaultConfigFile = "/etc/wharf/daemon.json";
    public const string DefaultHost = "unix:///run/wharf/wharf.sock";

    public string DataRoot { get; init; } = "/var/lib/wharf";
    public string ExecRoot { get; init; } = "/run/wharf";
    public IReadOnlyList<string> Hosts { get; init; } = [DefaultHost];
    public string Runtime { get; init; } = "runc";
    public string? ShimPath { get; init; }
    public bool Debug { get; init; }
    public string? PidFile { get; init; }
    public string ConfigFile { get; init; } = DefaultConfigFile;
    /// <summary>daemon.json "detach-keys": the default for attach and exec when a request names none.</summary>
    public string? DetachKeys { get; init; }

    public string EffectivePidFile => PidFile ?? Path.Combine(ExecRoot, "wharfd.pid");
}
