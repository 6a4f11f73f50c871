namespace Wharf.Daemon.Configuration;

/// <summary>dockerd's TLS switches for tcp:// listeners. <c>--tlsverify</c> implies <c>--tls</c> and additionally
/// requires every client to present a certificate signed by <see cref="CaCertFile"/> (mutual TLS).</summary>
internal sealed record TlsSettings
{
    /// <summary>dockerd's defaults are the files in the invoking user's ~/.docker.</summary>
    public static string DefaultCertDirectory =>
        Environment.GetEnvironmentVariable("DOCKER_CERT_PATH") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");

    public bool Enabled { get; init; }

    /// <summary>TLS was switched off on purpose ("--tls=false" or "tls": false): only then may a tcp:// listener
    /// serve plain HTTP (recent dockerd's rule).</summary>
    public bool ExplicitlyDisabled { get; init; }
    public bool VerifyClients { get; init; }
    public string CaCertFile { get; init; } = Path.Combine(DefaultCertDirectory, "ca.pem");
    public string CertFile { get; init; } = Path.Combine(DefaultCertDirectory, "cert.pem");
    public string KeyFile { get; init; } = Path.Combine(DefaultCertDirectory, "key.pem");

    /// <summary>TLS is on when asked for with --tls or implied by --tlsverify.</summary>
    public bool IsOn => Enabled || VerifyClients;
}
