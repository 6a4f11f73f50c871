using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Wharf.Core;
using Wharf.Engine.Distribution;
using Wharf.Engine.Images;
using Wharf.Engine.Snapshots;

namespace Wharf.Registry.Tests;

/// <summary>Builds layers and images by hand and pushes them straight into a registry, so pull tests control every
/// media type, compression and index entry.</summary>
internal static class DistributionTestImages
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    public static (ImageService Images, ImageDistributionService Distribution) NewStore(string dataRoot, DistributionOptions? options = null)
    {
        var images = new ImageService(dataRoot, new OverlaySnapshotter(dataRoot), TimeProvider.System);
        return (images, new ImageDistributionService(images, options ?? new DistributionOptions { CertsDirectory = Path.Combine(dataRoot, "certs.d") }, dataRoot));
    }

    /// <summary>A tar with one file of <paramref name="size"/> random bytes (incompressible) under a unique name.</summary>
    public static byte[] RandomLayer(int size, string name)
    {
        var data = new byte[size];
        Random.Shared.NextBytes(data);
        return Tar(name, data);
    }

    public static byte[] Tar(string name, byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var tar = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(data) });
        }
        return buffer.ToArray();
    }

    public static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return buffer.ToArray();
    }

    public static byte[] Zstd(byte[] data)
    {
        using var compressor = new ZstdSharp.Compressor(3);
        return compressor.Wrap(data).ToArray();
    }

    public static byte[] Config(string architecture, IEnumerable<byte[]> plainLayers) =>
        Encoding.UTF8.GetBytes($$$"""{"architecture":"{{{architecture}}}","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[{{{string.Join(",", plainLayers.Select(l => $"\"{Digest.Compute(l)}\""))}}}]}}""");

    /// <summary>Pushes the config and the (already compressed) layer blobs, then an OCI manifest under
    /// <paramref name="reference"/>; returns the manifest's digest and size.</summary>
    public static async Task<(Digest Digest, long Size)> PushImageAsync(RegistryTestHost host, string repository, string reference,
        byte[] config, IReadOnlyList<(byte[] Blob, string MediaType)> layers)
    {
        var configDigest = await host.PushBlobAsync(repository, config);
        var descriptors = new List<string>();
        foreach (var (blob, mediaType) in layers)
        {
            var digest = await host.PushBlobAsync(repository, blob);
            descriptors.Add($$"""{"mediaType":"{{mediaType}}","digest":"{{digest}}","size":{{blob.Length}}}""");
        }
        var manifest = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{OciManifest}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":{{config.Length}}},"layers":[{{string.Join(",", descriptors)}}]}""");
        using var put = await host.PutManifestAsync(repository, reference, manifest, OciManifest);
        Assert.Equal(System.Net.HttpStatusCode.Created, put.StatusCode);
        return (Digest.Compute(manifest), manifest.Length);
    }

    public static async Task PushIndexAsync(RegistryTestHost host, string repository, string tag, params (Digest Digest, long Size, string Architecture)[] children)
    {
        var entries = children.Select(c => $$$"""{"mediaType":"{{{OciManifest}}}","digest":"{{{c.Digest}}}","size":{{{c.Size}}},"platform":{"os":"linux","architecture":"{{{c.Architecture}}}"}}""");
        var index = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{OciIndex}}","manifests":[{{string.Join(",", entries)}}]}""");
        using var put = await host.PutManifestAsync(repository, tag, index, OciIndex);
        Assert.Equal(System.Net.HttpStatusCode.Created, put.StatusCode);
    }

    public static async Task<JsonElement> ManifestAsync(RegistryTestHost host, string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/{reference}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(OciManifest));
        using var response = await host.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        return document.RootElement.Clone();
    }

    /// <summary>The registry's request count for <paramref name="method"/> with <paramref name="status"/> from /metrics.</summary>
    public static async Task<long> RequestCountAsync(RegistryTestHost host, string method, int status)
    {
        var metrics = await host.Client.GetStringAsync("/metrics");
        var prefix = $"registry_http_requests_total{{method=\"{method}\",code=\"{status}\"}} ";
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static Task Collect(List<DistributionProgress> into, DistributionProgress progress)
    {
        lock (into) into.Add(progress);
        return Task.CompletedTask;
    }
}
