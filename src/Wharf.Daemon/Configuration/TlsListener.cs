using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Wharf.Daemon.Logging;

namespace Wharf.Daemon.Configuration;

/// <summary>Puts TLS on a tcp:// listener the way dockerd does: the server certificate from PEM files, and with
/// --tlsverify a client certificate signed by the given CA (and meant for client auth) is required during the
/// handshake — a client without one never reaches the API.</summary>
internal static class TlsListener
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const string HandshakeDoneKey = "wharf.tls.handshake-done";

    /// <summary>Loads the certificates now so a wrong path fails the daemon at start, not at the first client.</summary>
    public static Action<ListenOptions> Configure(TlsSettings tls, Func<ILogger> logger)
    {
        var serverCertificate = LoadServerCertificate(tls);
        X509Certificate2? ca = null;
        if (tls.VerifyClients)
        {
            ca = Read(tls.CaCertFile, "CA certificate", path => X509Certificate2.CreateFromPem(File.ReadAllText(path)));
        }
        return listen =>
        {
            listen.Use(next => context => LogFailedHandshakesAsync(next, context, logger));
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = serverCertificate,
                SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificateMode = ca is null ? ClientCertificateMode.NoCertificate : ClientCertificateMode.RequireCertificate,
                ClientCertificateValidation = ca is null ? null : (certificate, _, _) => IsSignedByCa(certificate, ca, logger),
                HandshakeTimeout = TimeSpan.FromSeconds(10),
            });
            listen.Use(next => context =>
            {
                context.Items[HandshakeDoneKey] = true;
                return next(context);
            });
        };
    }

    private static X509Certificate2 LoadServerCertificate(TlsSettings tls)
    {
        var pem = Read(tls.CertFile, "certificate", path => X509Certificate2.CreateFromPemFile(path, tls.KeyFile));
        // SslStream on Linux wants a key it can hand to OpenSSL; an ephemeral PEM key works for servers once exported.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static T Read<T>(string path, string what, Func<string, T> load)
    {
        try
        {
            return load(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new FormatException($"could not load TLS {what} {path}: {e.Message}", e);
        }
    }

    /// <summary>A chain built against the CA alone (the system store plays no part), valid now, and the leaf
    /// certificate allowed for client authentication — what Go's tls.RequireAndVerifyClientCert checks for dockerd.</summary>
    internal static bool IsSignedByCa(X509Certificate2 certificate, X509Certificate2 ca, Func<ILogger>? logger = null)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ClientAuthOid));
        var valid = chain.Build(certificate);
        if (!valid && logger is not null)
        {
            var reasons = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            DaemonLog.ClientCertificateRejected(logger(), certificate.Subject, reasons.Length > 0 ? reasons : "not signed by the configured CA");
        }
        return valid;
    }

    private static async Task LogFailedHandshakesAsync(ConnectionDelegate next, ConnectionContext context, Func<ILogger> logger)
    {
        await next(context).ConfigureAwait(false);
        if (!context.Items.ContainsKey(HandshakeDoneKey))
        {
            DaemonLog.TlsHandshakeFailed(logger(), context.RemoteEndPoint?.ToString() ?? "unknown peer");
        }
    }
}
