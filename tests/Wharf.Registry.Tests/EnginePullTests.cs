using System.Net;
using System.Net.Sockets;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Engine.Distribution;
using Wharf.Engine.Images;
using Wharf.Registry.Hosting;
using Wharf.TestKit;
using static Wharf.Registry.Tests.DistributionTestImages;

namespace Wharf.Registry.Tests;

/// <summary>What wharfd's pull does against a registry: compressed layer formats, multi-arch indexes, all tags,
/// concurrency, skipping present layers, surviving a dropped connection, mirrors and certs.d.</summary>
public sealed class EnginePullTests
{
    [Fact]
    public async Task Pull_IndexWithGzipAndZstdLayers_ResolvesPlatformAndStoresPlainLayers()
    {
        using var temp = new TempDirectory("wharf-pull-index");
        await using var registry = await RegistryTestHost.StartAsync();
        var host = $"127.0.0.1:{registry.Server.BaseAddress.Port}";
        byte[] gz = Tar("etc/gz", "gzip layer"u8.ToArray()), zst = Tar("etc/zst", "zstd layer"u8.ToArray()), arm = Tar("etc/arm", "arm64"u8.ToArray());
        var amdConfig = Config("amd64", [gz, zst]);
        var armConfig = Config("arm64", [arm]);
        var amd = await PushImageAsync(registry, "multi/app", "amd64-only", amdConfig,
            [(Gzip(gz), "application/vnd.oci.image.layer.v1.tar+gzip"), (Zstd(zst), "application/vnd.oci.image.layer.v1.tar+zstd")]);
        var armImage = await PushImageAsync(registry, "multi/app", "arm64-only", armConfig, [(arm, "application/vnd.oci.image.layer.v1.tar")]);
        await PushIndexAsync(registry, "multi/app", "v1", (armImage.Digest, armImage.Size, "arm64"), (amd.Digest, amd.Size, "amd64"));

        var store = NewStore(temp.Combine("store"));
        var progress = new List<DistributionProgress>();
        var image = await store.Distribution.PullAsync(ImageReference.Parse($"{host}/multi/app:v1"), "linux/amd64", null, p => Collect(progress, p), CancellationToken.None);
        Assert.Equal(Digest.Compute(amdConfig), image.Id);
        // Layers are stored uncompressed, whatever they travelled as.
        Assert.Equal(gz, store.Images.Content.ReadAllBytes(Digest.Compute(gz)));
        Assert.Equal(zst, store.Images.Content.ReadAllBytes(Digest.Compute(zst)));
        Assert.Equal(2, progress.Count(p => p.Status == "Pull complete"));

        var armPulled = await store.Distribution.PullAsync(ImageReference.Parse($"{host}/multi/app:v1"), "linux/arm64", null, _ => Task.CompletedTask, CancellationToken.None);
        Assert.Equal(Digest.Compute(armConfig), armPulled.Id);
        var none = await Assert.ThrowsAsync<EngineException>(() => store.Distribution.PullAsync(
            ImageReference.Parse($"{host}/multi/app:v1"), "linux/s390x", null, _ => Task.CompletedTask, CancellationToken.None));
        Assert.Contains("no matching manifest for linux/s390x", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullAllTags_RepositoryWithThreeTags_PullsEachTag()
    {
        using var temp = new TempDirectory("wharf-pull-all");
        await using var registry = await RegistryTestHost.StartAsync();
        var host = $"127.0.0.1:{registry.Server.BaseAddress.Port}";
        foreach (var tag in new[] { "a", "b", "c" })
        {
            var layer = Tar("tag", System.Text.Encoding.UTF8.GetBytes(tag));
            await PushImageAsync(registry, "all/app", tag, Config("amd64", [layer]), [(Gzip(layer), "application/vnd.oci.image.layer.v1.tar+gzip")]);
        }

        var store = NewStore(temp.Combine("store"));
        var progress = new List<DistributionProgress>();
        await store.Distribution.PullAllTagsAsync(ImageReference.Parse($"{host}/all/app"), null, null, p => Collect(progress, p), CancellationToken.None);
        foreach (var tag in new[] { "a", "b", "c" }) Assert.True(store.Images.TryResolve($"{host}/all/app:{tag}", out _), tag);
        Assert.Equal(3, progress.Count(p => p.Status.StartsWith("Digest: ", StringComparison.Ordinal)));
        Assert.Equal($"Status: Downloaded newer image for {host}/all/app", progress[^1].Status);
        Assert.Single(progress, p => p.Status.StartsWith("Status: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pull_FiveLayersThroughSlowLink_DownloadsThreeAtATimeThenSkipsPresentLayers()
    {
        using var temp = new TempDirectory("wharf-pull-concurrency");
        await using var registry = await RegistryTestHost.StartAsync();
        await using var proxy = new TcpTestProxy(new IPEndPoint(IPAddress.Loopback, registry.Server.BaseAddress.Port)) { Throttle = TimeSpan.FromMilliseconds(15) };
        var host = $"127.0.0.1:{proxy.Port}";
        var layers = Enumerable.Range(0, 5).Select(i => RandomLayer(1024 * 1024, $"l{i}")).ToList();
        await PushImageAsync(registry, "five/app", "v1", Config("amd64", layers), layers.Select(l => (l, "application/vnd.oci.image.layer.v1.tar")).ToList());
        var fresh = RandomLayer(64 * 1024, "fresh");
        List<byte[]> second = [layers[0], layers[1], layers[2], fresh];
        await PushImageAsync(registry, "five/other", "v1", Config("amd64", second), second.Select(l => (l, "application/vnd.oci.image.layer.v1.tar")).ToList());

        var store = NewStore(temp.Combine("store"));
        proxy.ResetPeak();
        await store.Distribution.PullAsync(ImageReference.Parse($"{host}/five/app:v1"), null, null, _ => Task.CompletedTask, CancellationToken.None);
        Assert.Equal(3, proxy.PeakActive);

        var progress = new List<DistributionProgress>();
        await store.Distribution.PullAsync(ImageReference.Parse($"{host}/five/other:v1"), null, null, p => Collect(progress, p), CancellationToken.None);
        Assert.Equal(3, progress.Count(p => p.Status == "Already exists"));
        Assert.Equal([Digest.Compute(fresh).Hex[..12]], progress.Where(p => p.Status == "Pull complete").Select(p => p.Id));
    }

    [Fact]
    public async Task Pull_ConnectionDroppedMidBlob_LeavesNoHalfImageAndNextPullCompletesIt()
    {
        using var temp = new TempDirectory("wharf-pull-dropped");
        await using var registry = await RegistryTestHost.StartAsync();
        await using var proxy = new TcpTestProxy(new IPEndPoint(IPAddress.Loopback, registry.Server.BaseAddress.Port)) { DropAfterBytes = 300_000, Drops = int.MaxValue };
        var host = $"127.0.0.1:{proxy.Port}";
        var small = Tar("small", "kept"u8.ToArray());
        var big = RandomLayer(2 * 1024 * 1024, "big");
        await PushImageAsync(registry, "drop/app", "v1", Config("amd64", [small, big]), [(small, "application/vnd.oci.image.layer.v1.tar"), (Gzip(big), "application/vnd.oci.image.layer.v1.tar+gzip")]);
        var dataRoot = temp.Combine("store");

        var failing = NewStore(dataRoot, new DistributionOptions { CertsDirectory = temp.Combine("certs"), TransferAttempts = 1 });
        await Assert.ThrowsAnyAsync<Exception>(() => failing.Distribution.PullAsync(ImageReference.Parse($"{host}/drop/app:v1"), null, null, _ => Task.CompletedTask, CancellationToken.None));
        Assert.Empty(failing.Images.List());
        Assert.False(failing.Images.Content.Exists(Digest.Compute(big)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(dataRoot, "content", "ingest")));

        // One more cut, then the link holds: the retry completes the layer and the image appears.
        proxy.Drops = 1;
        var retrying = NewStore(dataRoot, new DistributionOptions { CertsDirectory = temp.Combine("certs") });
        var progress = new List<DistributionProgress>();
        var image = await retrying.Distribution.PullAsync(ImageReference.Parse($"{host}/drop/app:v1"), null, null, p => Collect(progress, p), CancellationToken.None);
        Assert.Contains(progress, p => p.Status == "Retrying in 1 second");
        Assert.Equal(big, retrying.Images.Content.ReadAllBytes(Digest.Compute(big)));
        Assert.Equal([$"{host}/drop/app:v1"], image.RepoTags);
    }

    [Fact]
    public async Task Pull_DockerHubNameWithMirror_IsServedByTheMirrorAndNeverFallsThroughToTheInternet()
    {
        using var temp = new TempDirectory("wharf-pull-mirror");
        await using var mirror = await RegistryTestHost.StartAsync();
        var layer = Tar("bin/mirror", "from the mirror"u8.ToArray());
        var config = Config("amd64", [layer]);
        await PushImageAsync(mirror, "library/busybox", "latest", config, [(Gzip(layer), "application/vnd.oci.image.layer.v1.tar+gzip")]);
        var deadHub = $"127.0.0.1:{UnusedPort()}";
        var store = NewStore(temp.Combine("store"), new DistributionOptions
        {
            CertsDirectory = temp.Combine("certs"),
            RegistryMirrors = [new Uri($"http://127.0.0.1:{UnusedPort()}/"), mirror.Server.BaseAddress],
            DockerHubEndpoint = deadHub,
        });

        // The first mirror is down and skipped; the second has the image.
        var image = await store.Distribution.PullAsync(ImageReference.Parse("busybox"), null, null, _ => Task.CompletedTask, CancellationToken.None);
        Assert.Equal(Digest.Compute(config), image.Id);
        Assert.Equal(["busybox:latest"], image.RepoTags);
        Assert.True(await RequestCountAsync(mirror, "GET", 200) > 0);

        // An image no mirror has goes to "Docker Hub", here a dead loopback port: it fails rather than leave the machine.
        var missing = await Assert.ThrowsAsync<EngineException>(() => store.Distribution.PullAsync(
            ImageReference.Parse("library/nowhere"), null, null, _ => Task.CompletedTask, CancellationToken.None));
        Assert.Contains(deadHub, missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_TlsRegistryOnLoopbackWithoutFreePass_NeedsCaInCertsDirOrInsecureEntry()
    {
        using var temp = new TempDirectory("wharf-pull-certs");
        var (cert, key) = TestCertificates.WriteSelfSigned(temp);
        await using var registry = await RegistryTestHost.StartAsync(new RegistryOptions { TlsCertificate = cert, TlsKey = key },
            handler: new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
        var host = $"127.0.0.1:{registry.Server.BaseAddress.Port}";
        var layer = Tar("etc/tls", "tls"u8.ToArray());
        var config = Config("amd64", [layer]);
        await PushImageAsync(registry, "tls/app", "v1", config, [(Gzip(layer), "application/vnd.oci.image.layer.v1.tar+gzip")]);
        var certs = temp.Combine("certs.d");
        var strict = new DistributionOptions { CertsDirectory = certs, LoopbackIsInsecure = false };

        var untrusted = NewStore(temp.Combine("untrusted"), strict);
        var refused = await Assert.ThrowsAsync<EngineException>(() => untrusted.Distribution.PullAsync(
            ImageReference.Parse($"{host}/tls/app:v1"), null, null, _ => Task.CompletedTask, CancellationToken.None));
        Assert.Contains($"https://{host}/v2/", refused.Message, StringComparison.Ordinal);

        Directory.CreateDirectory(Path.Combine(certs, host));
        File.Copy(cert, Path.Combine(certs, host, "ca.crt"));
        var trusted = NewStore(temp.Combine("trusted"), strict);
        Assert.Equal(Digest.Compute(config), (await trusted.Distribution.PullAsync(ImageReference.Parse($"{host}/tls/app:v1"), null, null, _ => Task.CompletedTask, CancellationToken.None)).Id);

        var insecure = NewStore(temp.Combine("insecure"), strict with { CertsDirectory = temp.Combine("empty"), InsecureRegistries = [host] });
        Assert.Equal(Digest.Compute(config), (await insecure.Distribution.PullAsync(ImageReference.Parse($"{host}/tls/app:v1"), null, null, _ => Task.CompletedTask, CancellationToken.None)).Id);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
