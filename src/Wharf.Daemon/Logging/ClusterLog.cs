namespace Wharf.Daemon.Logging;

/// <summary>Source-generated log messages for the daemon's part in a cluster.</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster store {Store}: registered as node {Node} (advertise {Advertise}, lease {Lease:x})")]
    public static partial void Registered(ILogger logger, string store, string node, string advertise, long lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster store {Store}: cannot register yet ({Reason}); retrying")]
    public static partial void RegisterRetry(ILogger logger, string store, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster store {Store}: the node's lease was lost; registered again under lease {Lease:x}")]
    public static partial void LeaseReplaced(ILogger logger, string store, long lease);
}
