using Microsoft.Extensions.Logging;

namespace Wharf.Engine.Networks;

/// <summary>Networking's log messages (source-generated).</summary>
internal static partial class NetworkLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Network record {File} is unreadable and was skipped: {Reason}")]
    public static partial void RecordUnreadable(ILogger logger, string file, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bridge ledger {File} is unreadable; crash leftovers are not reconciled: {Reason}")]
    public static partial void LedgerUnreadable(ILogger logger, string file, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Host routes could not be read; subnets are chosen without them: {Reason}")]
    public static partial void HostRoutesUnreadable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Link {Link} could not be deleted: {Reason}")]
    public static partial void LinkNotDeleted(ILogger logger, string link, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Network namespace {Path} could not be removed: {Reason}")]
    public static partial void NamespaceNotRemoved(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Firewall state could not be removed at shutdown: {Reason}")]
    public static partial void FirewallCleanupFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Firewall rules of network {Network} could not be removed: {Reason}")]
    public static partial void NetworkRulesNotRemoved(ILogger logger, string network, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Port rules were partly gone already; deleting those present: {Reason}")]
    public static partial void PortRulesPartlyGone(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background network work failed (a restart reconciles it)")]
    public static partial void BackgroundWorkFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "DNS listener on {Address} not opened yet (the next refresh retries): {Reason}")]
    public static partial void DnsListenerNotOpened(ILogger logger, string address, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Host resolv.conf {File} unreadable: {Reason}")]
    public static partial void HostResolvConfUnreadable(ILogger logger, string file, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Network {Network}: VLAN parent {Parent} could not be created again: {Reason}")]
    public static partial void ParentNotRestored(ILogger logger, string network, string parent, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Networking background task {Task} failed")]
    public static partial void BackgroundTaskFailed(ILogger logger, string task, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Global network {Name} ({Id}) from the cluster store not taken in: network {LocalId} of this host has that name")]
    public static partial void GlobalNetworkNameTaken(ILogger logger, string name, string id, string localId);
}
