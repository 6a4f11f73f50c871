namespace Wharf.Compose.Model;

/// <summary>A namespace mode (network_mode, ipc, pid, uts, cgroup) of the form "service:NAME", which shares the
/// namespace of another service's first container.</summary>
public static class SharedNamespace
{
    private const string ServicePrefix = "service:";

    /// <summary>The service a mode shares, or null for any other mode.</summary>
    public static string? ServiceOf(string? mode) =>
        mode is not null && mode.StartsWith(ServicePrefix, StringComparison.Ordinal) ? mode[ServicePrefix.Length..] : null;
}
