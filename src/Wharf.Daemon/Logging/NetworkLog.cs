namespace Wharf.Daemon.Logging;

/// <summary>Source-generated log messages of the daemon's networking.</summary>
internal static partial class NetworkLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Firewall: iptables backend {Backend}")]
    public static partial void FirewallBackend(ILogger logger, string backend);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Firewall: iptables backend unknown: {Reason}")]
    public static partial void FirewallBackendUnknown(ILogger logger, string reason);
}
