using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Wharf.Cli.Commands;
using Wharf.Cli.Output;
using Wharf.Cli.Tls;

namespace Wharf.Cli.Tests;

public sealed class TlsAndFanOutTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("wharf-tls-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void CertificateSet_WritesAChainThatVerifies_WithSansAndUsages()
    {
        CertificateSet.Write(_dir.FullName, ["DNS:daemon.example", "IP:10.1.2.3"], 2048, 30, "daemon.example");

        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(_dir.FullName, "ca.pem")));
        using var server = X509Certificate2.CreateFromPemFile(Path.Combine(_dir.FullName, "server-cert.pem"), Path.Combine(_dir.FullName, "server-key.pem"));
        using var client = X509Certificate2.CreateFromPemFile(Path.Combine(_dir.FullName, "cert.pem"), Path.Combine(_dir.FullName, "key.pem"));
        Assert.True(server.HasPrivateKey);
        Assert.True(Chains(server, ca, "1.3.6.1.5.5.7.3.1"));
        Assert.True(Chains(client, ca, "1.3.6.1.5.5.7.3.2"));
        Assert.False(Chains(client, ca, "1.3.6.1.5.5.7.3.1")); // a client cert is no server cert
        Assert.True(server.MatchesHostname("daemon.example"));
        Assert.True(server.MatchesHostname("10.1.2.3"));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(Path.Combine(_dir.FullName, "ca-key.pem")));

        Assert.Throws<IOException>(() => CertificateSet.Write(_dir.FullName, [], 2048, 30, "x"));
    }

    [Fact]
    public void Render_AddsContextColumn_AndAnErrorRowPerFailedDaemon()
    {
        var row = JsonOutput.ObjectOfStrings(new Dictionary<string, string> { ["ID"] = "abc", ["Names"] = "web" });
        var headers = new Dictionary<string, string> { ["ID"] = "CONTAINER ID", ["Names"] = "NAMES" };
        var text = ContextFanOut.Render("table {{.ID}}\t{{.Names}}", headers,
        [
            ("a", row, null),
            ("b", null, "Cannot connect to the Wharf daemon at unix:///nope.sock. Is the wharf daemon running?"),
        ]);
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("CONTEXT", lines[0], StringComparison.Ordinal);
        Assert.Contains("CONTAINER ID", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^a\s+abc\s+web$", lines[1]);
        Assert.Matches(@"^b\s+error: Cannot connect", lines[2]);

        var plain = ContextFanOut.Render("{{.Context}}/{{.Names}}", headers, [("a", row, null)]);
        Assert.Equal("a/web\n", plain);
    }

    [Fact]
    public void WithContext_AddsTheFieldAndKeepsTheRest()
    {
        using var doc = JsonDocument.Parse("""{"ID":"x","Size":3}""");
        var withContext = ContextFanOut.WithContext(doc.RootElement, "prod");
        Assert.Equal("prod", withContext.GetProperty("Context").GetString());
        Assert.Equal(3, withContext.GetProperty("Size").GetInt32());
    }

    private static bool Chains(X509Certificate2 leaf, X509Certificate2 ca, string usage)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(usage));
        return chain.Build(leaf);
    }
}
