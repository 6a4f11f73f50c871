using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Wharf.Api.Client;

/// <summary>How a client speaks TLS to a tcp:// daemon, as the docker CLI does: <c>--tls</c> encrypts without
/// checking the server (<see cref="VerifyServer"/> false), <c>--tlsverify</c> checks the server against
/// <see cref="CaFile"/> (or the system roots when there is none). A client certificate is offered when both
/// <see cref="CertFile"/> and <see cref="KeyFile"/> exist — that is what a daemon running --tlsverify requires.</summary>
public sealed record TlsClientOptions(string? CaFile, string? CertFile, string? KeyFile, bool VerifyServer)
{
    /// <summary>Wraps a connected transport in TLS and completes the handshake.</summary>
    public async Task<SslStream> AuthenticateAsync(Stream transport, string targetHost, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var ca = CaFile is { } caFile && File.Exists(caFile) ? X509Certificate2.CreateFromPem(File.ReadAllText(caFile)) : null;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsServerTrusted(certificate, errors, ca),
        };
        if (CertFile is { } certFile && KeyFile is { } keyFile && File.Exists(certFile) && File.Exists(keyFile))
        {
            using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
            // OpenSSL needs a key it can use for the handshake; a PKCS#12 round trip gives it one.
            options.ClientCertificates = [X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)];
        }

        var ssl = new SslStream(transport, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private bool IsServerTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2? ca)
    {
        if (!VerifyServer)
        {
            return true;
        }

        if (ca is null || certificate is null)
        {
            return errors == SslPolicyErrors.None;
        }

        // The name must match either way; only the chain is judged against the given CA instead of the system's.
        if ((errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
