using System.IO.Compression;
using System.Text.Json;
using Wharf.Core;
using Wharf.Engine.Distribution;
using Wharf.TestKit;
using static Wharf.Registry.Tests.DistributionTestImages;

namespace Wharf.Registry.Tests;

/// <summary>What wharfd's push sends: gzip layers in chunks, HEAD checks, cross-repository mounts, and two
/// clients pushing the same layer at once.</summary>
public sealed class EnginePushTests
{
    [Fact]
    public async Task Push_BigLayer_IsGzippedChunkedThenHeadCheckedAndMountedIntoAnotherRepository()
    {
        using var temp = new TempDirectory("wharf-push-gzip");
        await using var registry = await RegistryTestHost.StartAsync();
        var host = $"127.0.0.1:{registry.Server.BaseAddress.Port}";
        // Half random (so it stays big), half zeros (so gzip visibly shrinks it).
        var payload = new byte[3 * 1024 * 1024];
        Random.Shared.NextBytes(payload.AsSpan(0, payload.Length / 2));
        var layer = Tar("data/blob", payload);
        var source = NewStore(temp.Combine("source"), new DistributionOptions { CertsDirectory = temp.Combine("certs"), UploadChunkSize = 512 * 1024 });
        var image = await source.Images.ImportAsync(new MemoryStream(layer), $"{host}/one/app:v1", [], null, CancellationToken.None);

        var patchesBefore = await RequestCountAsync(registry, "PATCH", 202);
        var first = new List<DistributionProgress>();
        await source.Distribution.PushAsync($"{host}/one/app", "v1", null, p => Collect(first, p), CancellationToken.None);
        Assert.Contains(first, p => p.Status == "Pushed");
        // 3 MiB of half-random data gzips to ~1.5 MiB: three 512 KiB chunks at least.
        Assert.True(await RequestCountAsync(registry, "PATCH", 202) - patchesBefore >= 3);

        var manifest = await ManifestAsync(registry, "one/app", "v1");
        var pushedLayer = manifest.GetProperty("layers")[0];
        Assert.Equal("application/vnd.oci.image.layer.v1.tar+gzip", pushedLayer.GetProperty("mediaType").GetString());
        var blob = await registry.Client.GetByteArrayAsync($"/v2/one/app/blobs/{pushedLayer.GetProperty("digest").GetString()}");
        Assert.Equal(blob.Length, pushedLayer.GetProperty("size").GetInt64());
        Assert.True(blob.Length < layer.Length);
        using (var gunzip = new GZipStream(new MemoryStream(blob), CompressionMode.Decompress))
        {
            using var plain = new MemoryStream();
            await gunzip.CopyToAsync(plain);
            Assert.Equal(image.DiffIds[0], Digest.Compute(plain.ToArray()));
        }

        var again = new List<DistributionProgress>();
        await source.Distribution.PushAsync($"{host}/one/app", "v1", null, p => Collect(again, p), CancellationToken.None);
        Assert.Contains(again, p => p.Status == "Layer already exists" && p.Id == image.DiffIds[0].Hex[..12]);
        Assert.DoesNotContain(again, p => p.Status == "Pushed");

        Assert.True(source.Images.TryResolve($"{host}/one/app:v1", out _));
        source.Images.Tag(image.Id.Value, $"{host}/two/app", "v1");
        var uploadsBefore = await RequestCountAsync(registry, "PATCH", 202);
        var mounted = new List<DistributionProgress>();
        await source.Distribution.PushAsync($"{host}/two/app", "v1", null, p => Collect(mounted, p), CancellationToken.None);
        Assert.Contains(mounted, p => p.Status == "Mounted from one/app");
        // Only the small config travels (Docker uploads it too); the layer does not.
        Assert.Equal(uploadsBefore + 1, await RequestCountAsync(registry, "PATCH", 202));
        Assert.Equal(blob, await registry.Client.GetByteArrayAsync($"/v2/two/app/blobs/{pushedLayer.GetProperty("digest").GetString()}"));
    }

    [Fact]
    public async Task Push_SameLayerFromTwoClientsAtOnce_BothSucceedAndOneCopyIsStored()
    {
        using var temp = new TempDirectory("wharf-push-race");
        var storageRoot = temp.Combine("registry");
        var storage = new Wharf.Registry.Storage.FileSystemStorageDriver(storageRoot);
        await using var registry = await RegistryTestHost.StartAsync(storage: storage);
        var host = $"127.0.0.1:{registry.Server.BaseAddress.Port}";
        var layer = RandomLayer(2 * 1024 * 1024, "shared");
        var clients = new[] { "a", "b" }.Select(n => NewStore(temp.Combine(n))).ToList();
        foreach (var client in clients) await client.Images.ImportAsync(new MemoryStream(layer), $"{host}/race/app:v1", [], null, CancellationToken.None);

        await Task.WhenAll(clients.Select(c => c.Distribution.PushAsync($"{host}/race/app", "v1", null, _ => Task.CompletedTask, CancellationToken.None)));

        var manifest = await ManifestAsync(registry, "race/app", "v1");
        var digest = Digest.Parse(manifest.GetProperty("layers")[0].GetProperty("digest").GetString()!);
        var copies = Directory.EnumerateFiles(Path.Combine(storageRoot), "data", SearchOption.AllDirectories)
            .Where(f => f.Contains(digest.Hex, StringComparison.Ordinal)).ToList();
        Assert.Single(copies);
        Assert.Empty(storage.List("repositories/race/app/_uploads"));
        using var gunzip = new GZipStream(new MemoryStream(await registry.Client.GetByteArrayAsync($"/v2/race/app/blobs/{digest}")), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        await gunzip.CopyToAsync(plain);
        Assert.Equal(layer, plain.ToArray());
    }
}
