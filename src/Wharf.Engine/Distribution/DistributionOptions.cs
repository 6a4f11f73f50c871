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

    /// <summary>Attempts per layer transfer before the pull fails.</summary>
    public int TransferAttempts { get; init; } = 3;
}
