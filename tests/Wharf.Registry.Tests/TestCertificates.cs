using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Wharf.TestKit;

namespace Wharf.Registry.Tests;

internal static class TestCertificates
{
    /// <summary>A self-signed certificate for 127.0.0.1 (PEM cert and key files in <paramref name="temp"/>).</summary>
    public static (string Cert, string Key) WriteSelfSigned(TempDirectory temp)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(temp.Combine("tls-cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(temp.Combine("tls-key.pem"), key.ExportPkcs8PrivateKeyPem());
        return (temp.Combine("tls-cert.pem"), temp.Combine("tls-key.pem"));
    }
}
