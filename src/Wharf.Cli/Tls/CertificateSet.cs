using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Wharf.Cli.Tls;

/// <summary>The files Docker's "Protect the Docker daemon socket" guide makes with openssl — a CA, a server
/// certificate (with the SANs clients will dial, for serverAuth) and a client certificate (clientAuth) — made
/// here with .NET's X.509 API so no openssl commands are needed.</summary>
internal static class CertificateSet
{
    public static readonly IReadOnlyList<string> FileNames =
        ["ca.pem", "ca-key.pem", "server-cert.pem", "server-key.pem", "cert.pem", "key.pem"];

    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>Writes the six files into <paramref name="directory"/>; refuses to overwrite any of them.</summary>
    public static void Write(string directory, IReadOnlyList<string> subjectAlternativeNames, int keySize, int days, string commonName)
    {
        Directory.CreateDirectory(directory);
        foreach (var file in FileNames)
        {
            if (File.Exists(Path.Combine(directory, file)))
            {
                throw new IOException($"{Path.Combine(directory, file)} already exists; not overwriting it");
            }
        }

        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = notBefore.AddDays(days);
        using var caKey = RSA.Create(keySize);
        var caRequest = new CertificateRequest($"CN={commonName} CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        using var serverKey = RSA.Create(keySize);
        var serverRequest = LeafRequest($"CN={commonName}", serverKey, ServerAuthOid);
        serverRequest.CertificateExtensions.Add(BuildSans(subjectAlternativeNames));
        using var server = serverRequest.Create(ca, notBefore, notAfter, SerialNumber());

        using var clientKey = RSA.Create(keySize);
        using var client = LeafRequest("CN=client", clientKey, ClientAuthOid).Create(ca, notBefore, notAfter, SerialNumber());

        const UnixFileMode KeyMode = UnixFileMode.UserRead;
        const UnixFileMode CertMode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        WriteFile(directory, "ca.pem", ca.ExportCertificatePem(), CertMode);
        WriteFile(directory, "ca-key.pem", caKey.ExportPkcs8PrivateKeyPem(), KeyMode);
        WriteFile(directory, "server-cert.pem", server.ExportCertificatePem(), CertMode);
        WriteFile(directory, "server-key.pem", serverKey.ExportPkcs8PrivateKeyPem(), KeyMode);
        WriteFile(directory, "cert.pem", client.ExportCertificatePem(), CertMode);
        WriteFile(directory, "key.pem", clientKey.ExportPkcs8PrivateKeyPem(), KeyMode);
    }

    /// <summary>"DNS:host", "IP:1.2.3.4", or a bare name/address (sorted out by whether it parses as an IP).</summary>
    internal static X509Extension BuildSans(IEnumerable<string> names)
    {
        var builder = new SubjectAlternativeNameBuilder();
        foreach (var raw in names)
        {
            var name = raw.Trim();
            if (name.StartsWith("IP:", StringComparison.OrdinalIgnoreCase))
            {
                builder.AddIpAddress(IPAddress.Parse(name[3..]));
            }
            else if (name.StartsWith("DNS:", StringComparison.OrdinalIgnoreCase))
            {
                builder.AddDnsName(name[4..]);
            }
            else if (IPAddress.TryParse(name, out var ip))
            {
                builder.AddIpAddress(ip);
            }
            else if (name.Length > 0)
            {
                builder.AddDnsName(name);
            }
        }

        return builder.Build();
    }

    private static CertificateRequest LeafRequest(string subject, RSA key, string usageOid)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usageOid)], false));
        return request;
    }

    /// <summary>A random positive 128-bit serial, as RFC 5280 asks (top bit clear so it is not read as negative).</summary>
    private static byte[] SerialNumber()
    {
        var bytes = RandomNumberGenerator.GetBytes(16);
        bytes[0] &= 0x7f;
        return bytes;
    }

    private static void WriteFile(string directory, string name, string pem, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode | UnixFileMode.UserWrite };
        using (var stream = new FileStream(Path.Combine(directory, name), options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(pem);
            writer.Write('\n');
        }

        File.SetUnixFileMode(Path.Combine(directory, name), mode);
    }
}
