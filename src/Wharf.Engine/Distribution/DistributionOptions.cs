namespace Wharf.Engine.Distribution;

/// <summary>daemon.json settings for talking to registries.</summary>
public sealed record DistributionOptions
{
    /// <summary>Registries (host[:port]) or CIDRs reached over plain HTTP or unverified TLS. 127.0.0.0/8 and
    /// localhost always are, as with Docker.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>Where custom CAs live: &lt;dir&gt;/&lt;host:port&gt;/*.crt (Docker's certs.d layout).</summary>
    public string CertsDirectory { get; init; } = "/etc/wharf/certs.d";

    /// <summary>Layers downloaded or uploaded at the same time (Docker uses 3 and 5).</summary>
    public int MaxConcurrentDownloads { get; init; } = 3;
    public int MaxConcurrentUploads { get; init; } = 5;

    /// <summary>daemon.json "allowed-registries": when set, the only registries (host or host:port) the daemon
    /// contacts; null allows every registry. See <see cref="RegistryAllowList"/>.</summary>
    public IReadOnlyList<string>? AllowedRegistries { get; init; }

    /// <summary>daemon.json "registry-mirrors": URLs tried, in order, for docker.io pulls before Docker Hub itself.</summary>
    public IReadOnlyList<Uri> RegistryMirrors { get; init; } = [];

    /// <summary>Where docker.io is really served. Only tests change it (to an unused loopback port, so a pull that
    /// misses its mirror fails instead of reaching the internet).</summary>
    public string DockerHubEndpoint { get; init; } = "registry-1.docker.io";

    /// <summary>127.0.0.0/8 and localhost skip TLS verification, as with Docker; tests of certs.d turn this off.</summary>
    public bool LoopbackIsInsecure { get; init; } = true;

    /// <summary>Layers bigger than this are pushed in PATCH chunks of this size (with Content-Range); smaller ones
    /// in one request.</summary>
    public int UploadChunkSize { get; init; } = 32 * 1024 * 1024;

    /// <summary>Attempts per layer transfer before the pull fails.</summary>
    public int TransferAttempts { get; init; } = 3;
}
