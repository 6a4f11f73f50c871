namespace Wharf.Registry.Hosting;

/// <summary>Everything a registry instance is configured with (config file, then flags on top).</summary>
public sealed record RegistryOptions
{
    /// <summary>"host:port"; port 0 picks a free one (see <see cref="RegistryServer.BaseAddress"/>).</summary>
    public string Listen { get; init; } = "127.0.0.1:5000";

    /// <summary>Storage root for the filesystem driver.</summary>
    public string Root { get; init; } = "/var/lib/wharf-registry";

    /// <summary>"filesystem" or "inmemory".</summary>
    public string Storage { get; init; } = "filesystem";

    public string? TlsCertificate { get; init; }
    public string? TlsKey { get; init; }

    /// <summary>"none", "htpasswd" (basic auth) or "token" (bearer tokens from this registry's /token endpoint;
    /// the token endpoint checks htpasswd users when <see cref="HtpasswdPath"/> is set).</summary>
    public string Auth { get; init; } = "none";

    public string? HtpasswdPath { get; init; }
    public string Realm { get; init; } = "wharf-registry";

    /// <summary>Token realm URL to advertise; default is this server's /token.</summary>
    public string? TokenRealm { get; init; }
    public string TokenService { get; init; } = "wharf-registry";
    public string TokenIssuer { get; init; } = "wharf-registry";

    /// <summary>HMAC key for tokens; a random one per process when not set.</summary>
    public string? TokenSecret { get; init; }

    /// <summary>Refuse every write with UNSUPPORTED (garbage collection is safe meanwhile).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>garbage-collect removes uploads started longer ago than this (younger ones may still be in flight
    /// on a registry that was only made read-only).</summary>
    public TimeSpan UploadMaxAge { get; init; } = TimeSpan.FromHours(1);
}
