using Wharf.Core.Errors;

namespace Wharf.Engine.Distribution;

/// <summary>daemon.json "allowed-registries": for air-gapped hosts, the only registries the daemon may contact.
/// Entries are a host ("127.0.0.1", "registry.corp", "docker.io": any port) or host:port. Without the key every
/// registry is allowed, as with Docker. Registry mirrors are configured explicitly and so always allowed; a short name
/// such as "busybox" means docker.io and fails at once with a message instead of reaching Docker Hub.</summary>
public static class RegistryAllowList
{
    public const string Key = "allowed-registries";

    public static bool Allows(IReadOnlyList<string>? allowed, string domain)
    {
        if (allowed is null) return true;
        var host = HostOf(domain);
        return allowed.Any(entry => string.Equals(entry, domain, StringComparison.OrdinalIgnoreCase)
                                    || string.Equals(entry, host, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Throws when <paramref name="domain"/> may not be contacted; <paramref name="image"/> names what was
    /// asked for (a short name's resolution to docker.io is the usual surprise).</summary>
    public static void EnsureAllowed(IReadOnlyList<string>? allowed, string domain, string? image = null)
    {
        if (Allows(allowed, domain)) return;
        var what = image is null ? "" : $" (needed for {image})";
        throw new EngineException(ErrorKind.Forbidden,
            $"registry {domain} is not in daemon.json \"{Key}\" [{string.Join(", ", allowed!)}]{what}: this daemon contacts no other registry; use a configured registry's full name, e.g. 127.0.0.1:5000/busybox");
    }

    /// <summary>"127.0.0.1:5000" → "127.0.0.1"; "[::1]:5000" → "[::1]"; a bare host is itself.</summary>
    private static string HostOf(string domain)
    {
        if (domain.StartsWith('['))
        {
            var close = domain.IndexOf(']', StringComparison.Ordinal);
            return close > 0 ? domain[..(close + 1)] : domain;
        }
        var colon = domain.LastIndexOf(':');
        return colon > 0 ? domain[..colon] : domain;
    }
}
