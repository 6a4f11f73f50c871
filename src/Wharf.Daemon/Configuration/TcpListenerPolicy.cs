namespace Wharf.Daemon.Configuration;

/// <summary>Recent dockerd's rule for tcp:// listeners: the API is root on the host, so plain HTTP on a TCP port is
/// refused unless TLS was switched off explicitly (<c>--tls=false</c>); then the daemon starts with a warning.</summary>
internal static class TcpListenerPolicy
{
    /// <summary>Why these settings must not start, or null when they may.</summary>
    public static string? Refusal(DaemonSettings settings)
    {
        if (settings.Tls.IsOn || settings.Tls.ExplicitlyDisabled) return null;
        var tcp = settings.Hosts.FirstOrDefault(h => h.StartsWith("tcp://", StringComparison.Ordinal));
        return tcp is null
            ? null
            : $"refusing to listen on {tcp} without TLS: anyone who can reach it controls the host. Use --tlsverify with certificates, or --tls=false to accept the risk explicitly";
    }
}
