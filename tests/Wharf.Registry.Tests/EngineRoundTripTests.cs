using System.Formats.Tar;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Wharf.Core.Errors;
using Wharf.Engine.Distribution;
using Wharf.Engine.Images;
using Wharf.Engine.Snapshots;
using Wharf.Registry.Hosting;
using Wharf.TestKit;

namespace Wharf.Registry.Tests;

/// <summary>The engine's pull and push (what wharfd runs) against this registry in-process: token auth over TLS,
/// progress wording, and a pull into an empty store that rebuilds the same image.</summary>
public sealed class EngineRoundTripTests
{
    [Fact]
    public async Task PushThenPull_WithTokenAuthOverTls_RebuildsTheSameImage()
    {
        using var temp = new TempDirectory("wharf-registry-engine");
        var (cert, key) = WriteSelfSignedCertificate(temp);
        var htpasswd = temp.Combine("htpasswd");
        await File.WriteAllTextAsync(htpasswd, $"carol:{BCrypt.Net.BCrypt.HashPassword("pw", 4)}\n");
        await using var registry = await RegistryServer.StartAsync(new RegistryOptions
        {
            Listen = "127.0.0.1:0", Storage = "inmemory", Auth = "token", HtpasswdPath = htpasswd, TlsCertificate = cert, TlsKey = key,
        });
        Assert.Equal("https", registry.BaseAddress.Scheme);
        var host = $"127.0.0.1:{registry.BaseAddress.Port}";
        var credentials = new RegistryCredentials("carol", "pw");

        var source = NewImageStore(temp.Combine("source"));
        var imported = await source.Images.ImportAsync(new MemoryStream(LayerTar("hello from the registry")), $"{host}/team/app:v1", [], null, CancellationToken.None);

        // Wrong password: login fails with Docker's wording, and a push is refused.
        await Assert.ThrowsAsync<EngineException>(() => source.Distribution.LoginAsync(host, new RegistryCredentials("carol", "bad"), CancellationToken.None));
        await source.Distribution.LoginAsync($"https://{host}/", credentials, CancellationToken.None);

        var pushed = new List<DistributionProgress>();
        await source.Distribution.PushAsync($"{host}/team/app", "v1", credentials, p => { pushed.Add(p); return Task.CompletedTask; }, CancellationToken.None);
        Assert.Contains(pushed, p => p.Status == "Pushed");
        var result = Assert.Single(pushed, p => p.PushResult is not null).PushResult!.Value;
        Assert.Equal("v1", result.Tag);

        var again = new List<DistributionProgress>();
        await source.Distribution.PushAsync($"{host}/team/app", "v1", credentials, p => { again.Add(p); return Task.CompletedTask; }, CancellationToken.None);
        Assert.Contains(again, p => p.Status == "Layer already exists");

        var target = NewImageStore(temp.Combine("target"));
        var pulled = new List<DistributionProgress>();
        var image = await target.Distribution.PullAsync(ImageReference.Parse($"{host}/team/app:v1"), null, credentials,
            p => { pulled.Add(p); return Task.CompletedTask; }, CancellationToken.None);
        Assert.Equal(imported.Id, image.Id);
        Assert.Equal([$"{host}/team/app:v1"], image.RepoTags);
        var statuses = pulled.Select(p => p.Status).ToList();
        Assert.Equal("Pulling from team/app", statuses[0]);
        Assert.Contains("Pulling fs layer", statuses);
        Assert.Contains("Download complete", statuses);
        Assert.Contains("Pull complete", statuses);
        Assert.Equal($"Digest: {result.Digest}", statuses[^2]);
        Assert.Equal($"Status: Downloaded newer image for {host}/team/app:v1", statuses[^1]);
        Assert.Equal([$"{host}/team/app@{result.Digest}"], target.Distribution.RepoDigests.Get(image.Id));

        // Anonymous pulls get a token without access: refused before any progress.
        var anonymous = NewImageStore(temp.Combine("anonymous"));
        var denied = await Assert.ThrowsAsync<EngineException>(() => anonymous.Distribution.PullAsync(
            ImageReference.Parse($"{host}/team/app:v1"), null, null, _ => Task.CompletedTask, CancellationToken.None));
        Assert.Contains("pull access denied", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_UnknownTagOrCorruptLayer_FailsWithoutLeavingAnImage()
    {
        using var temp = new TempDirectory("wharf-registry-engine-bad");
        await using var registry = await RegistryTestHost.StartAsync();
        var host = $"127.0.0.1:{registry.Server.BaseAddress.Port}";
        var store = NewImageStore(temp.Combine("store"));

        var missing = await Assert.ThrowsAsync<EngineException>(() => store.Distribution.PullAsync(
            ImageReference.Parse($"{host}/nothing:here"), null, null, _ => Task.CompletedTask, CancellationToken.None));
        Assert.Equal($"manifest for {host}/nothing:here not found: manifest unknown: manifest unknown", missing.Message);

        // A config whose diff id does not match the layer: the layer is never committed and no image appears.
        var layer = LayerTar("x");
        var layerDigest = await registry.PushBlobAsync("bad/img", layer);
        var config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["{{Wharf.Core.Digest.Compute("other"u8)}}"]} }""");
        var configDigest = await registry.PushBlobAsync("bad/img", config);
        var manifest = RegistryTestHost.Manifest("application/vnd.oci.image.manifest.v1+json", configDigest, config.Length, layerDigest, layer.Length);
        using (var put = await registry.PutManifestAsync("bad/img", "v1", manifest, "application/vnd.oci.image.manifest.v1+json"))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        await Assert.ThrowsAnyAsync<Exception>(() => store.Distribution.PullAsync(
            ImageReference.Parse($"{host}/bad/img:v1"), null, null, _ => Task.CompletedTask, CancellationToken.None));
        Assert.Empty(store.Images.List());
        Assert.False(store.Images.Content.Exists(layerDigest));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(temp.Combine("store"), "content", "ingest")));
    }

    private static (ImageService Images, ImageDistributionService Distribution) NewImageStore(string dataRoot)
    {
        var images = new ImageService(dataRoot, new OverlaySnapshotter(dataRoot), TimeProvider.System);
        return (images, new ImageDistributionService(images, new DistributionOptions { CertsDirectory = Path.Combine(dataRoot, "certs.d") }, dataRoot));
    }

    private static byte[] LayerTar(string text)
    {
        using var buffer = new MemoryStream();
        using (var tar = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "etc/") { Mode = (UnixFileMode)0b111_101_101 });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "etc/message")
            {
                Mode = (UnixFileMode)0b110_100_100,
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
            });
        }
        return buffer.ToArray();
    }

    private static (string Cert, string Key) WriteSelfSignedCertificate(TempDirectory temp)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(temp.Combine("cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(temp.Combine("key.pem"), key.ExportPkcs8PrivateKeyPem());
        return (temp.Combine("cert.pem"), temp.Combine("key.pem"));
    }
}
