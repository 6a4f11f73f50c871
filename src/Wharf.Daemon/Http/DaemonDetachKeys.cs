namespace Wharf.Daemon.Http;

/// <summary>The daemon-wide default detach keys (daemon.json "detach-keys"); null means Docker's ctrl-p,ctrl-q.</summary>
internal sealed record DaemonDetachKeys(string? Keys);
