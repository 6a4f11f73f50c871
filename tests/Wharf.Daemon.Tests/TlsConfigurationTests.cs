using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Wharf.Daemon.Configuration;

namespace Wharf.Daemon.Tests;

public sealed class TlsConfigurationTests
{
    [Fact]
    public void Load_TlsVerifyFlags_LikeDockerd()
    {
        var settings = DaemonSettingsLoader.Load(["--config-file", "/nonexistent", "-H", "tcp://127.0.0.1:2376", "--tlsverify",
            "--tlscacert", "/c/ca.pem", "--tlscert=/c/server-cert.pem", "--tlskey", "/c/server-key.pem"]);
        Assert.True(settings.Tls.IsOn);
        Assert.True(settings.Tls.VerifyClients);
        Assert.Equal(("/c/ca.pem", "/c/server-cert.pem", "/c/server-key.pem"), (settings.Tls.CaCertFile, settings.Tls.CertFile, settings.Tls.KeyFile));
    }

    [Fact]
    public void FromJson_TlsKeys_AndFlagCanSwitchThemOff()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{"tls": true, "tlsverify": true, "tlscacert": "/j/ca.pem", "tlscert": "/j/cert.pem", "tlskey": "/j/key.pem"}""");
            var fromJson = DaemonSettingsLoader.Load(["--config-file", file]);
            Assert.True(fromJson.Tls.VerifyClients);
            Assert.Equal("/j/key.pem", fromJson.Tls.KeyFile);

            var switchedOff = DaemonSettingsLoader.Load(["--config-file", file, "--tlsverify=false"]);
            Assert.False(switchedOff.Tls.VerifyClients);
            Assert.True(switchedOff.Tls.IsOn); // "tls": true still encrypts
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Defaults_TlsOff()
    {
        var settings = DaemonSettingsLoader.Load(["--config-file", "/nonexistent"]);
        Assert.False(settings.Tls.IsOn);
    }

    [Fact]
    public void IsSignedByCa_AcceptsOnlyClientCertificatesOfThatCa()
    {
        var now = DateTimeOffset.UtcNow;
        using var ca = NewCa("CN=ca", now);
        using var otherCa = NewCa("CN=other", now);
        using var good = NewLeaf(ca, "CN=client", "1.3.6.1.5.5.7.3.2", now.AddDays(-1), now.AddDays(1));
        using var foreign = NewLeaf(otherCa, "CN=client", "1.3.6.1.5.5.7.3.2", now.AddDays(-1), now.AddDays(1));
        using var serverOnly = NewLeaf(ca, "CN=server", "1.3.6.1.5.5.7.3.1", now.AddDays(-1), now.AddDays(1));
        using var expired = NewLeaf(ca, "CN=old", "1.3.6.1.5.5.7.3.2", now.AddDays(-10), now.AddDays(-2));

        Assert.True(TlsListener.IsSignedByCa(good, ca));
        Assert.False(TlsListener.IsSignedByCa(foreign, ca));
        Assert.False(TlsListener.IsSignedByCa(serverOnly, ca));
        Assert.False(TlsListener.IsSignedByCa(expired, ca));
    }

    [Fact]
    public void FindGroupId_ReadsEtcGroupFormat()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "root:x:0:\nwharfish:x:5:\nwharf:x:998:alice,bob\n");
            Assert.Equal(998, SocketPermissions.FindGroupId(file, "wharf"));
            Assert.Null(SocketPermissions.FindGroupId(file, "docker"));
            Assert.Null(SocketPermissions.FindGroupId("/nonexistent/group", "wharf"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static X509Certificate2 NewCa(string subject, DateTimeOffset now)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(now.AddDays(-30), now.AddDays(30));
    }

    private static X509Certificate2 NewLeaf(X509Certificate2 ca, string subject, string usage, DateTimeOffset from, DateTimeOffset to)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        return request.Create(ca, from, to, RandomNumberGenerator.GetBytes(8));
    }
}
