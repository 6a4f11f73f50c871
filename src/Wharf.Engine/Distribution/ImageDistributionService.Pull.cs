using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Core.Oci;
using Wharf.Engine.Content;
using Wharf.Engine.Images;

namespace Wharf.Engine.Distribution;

public sealed partial class ImageDistributionService
{
    private const long ProgressStep = 512 * 1024;

    /// <summary>docker pull: resolves the manifest (an index to <paramref name="platform"/>, default this host's
    /// linux architecture), downloads missing layers <see cref="DistributionOptions.MaxConcurrentDownloads"/> at a time
    /// with digest verification, stores them uncompressed (their diff ids checked against the config), extracts them
    /// and tags the image. A layer is committed to the content store only whole and verified, so an interrupted pull
    /// leaves no half image and the next pull resumes with the layers that made it.</summary>
    public async Task<ImageRecord> PullAsync(ImageReference reference, string? platform, RegistryCredentials? credentials,
        Func<DistributionProgress, Task> report, CancellationToken ct)
    {
        var wanted = reference.Digest ?? reference.Tag ?? ImageReference.DefaultTag;
        var (client, topBody) = await OpenForPullAsync(reference, wanted, credentials, ct).ConfigureAwait(false);
        using var endpoint = client;
        var gate = new SemaphoreSlim(1, 1);
        async Task Report(DistributionProgress progress)
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                await report(progress).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }

        var topDigest = Digest.Compute(topBody);
        if (reference.Digest is not null && topDigest.Value != reference.Digest)
            throw EngineException.Invalid($"manifest verification failed for digest {reference.Digest}");
        var manifest = ManifestInfo.Parse(topBody, null);
        if (manifest.IsIndex)
        {
            var child = SelectPlatform(manifest, platform);
            var (childBody, _) = await FetchManifestAsync(client, reference, child.Digest.Value, ct).ConfigureAwait(false);
            if (Digest.Compute(childBody) != child.Digest) throw EngineException.Invalid($"manifest verification failed for digest {child.Digest}");
            manifest = ManifestInfo.Parse(childBody, child.MediaType);
        }
        var configDescriptor = manifest.Config ?? throw EngineException.Invalid("manifest has no config");

        await Report(new DistributionProgress(reference.Digest ?? reference.Tag, $"Pulling from {reference.Path}")).ConfigureAwait(false);

        var configBytes = await FetchSmallBlobAsync(client, reference, configDescriptor.Digest, ct).ConfigureAwait(false);
        var config = JsonSerializer.Deserialize(configBytes, CoreJsonContext.Default.ImageConfig) ?? throw EngineException.Invalid("empty image config");
        var diffIds = (config.RootFs?.DiffIds ?? throw EngineException.Invalid("invalid image config: no rootfs")).Select(Digest.Parse).ToList();
        if (diffIds.Count != manifest.Layers.Count)
            throw EngineException.Invalid($"image config lists {diffIds.Count} layers but the manifest has {manifest.Layers.Count}");
        // As Docker: "up to date" when the tag already named this image; a tag that moves (or appears) is "newer".
        var configId = Digest.Compute(configBytes);
        var upToDate = reference.Tag is not null
            ? images.TryResolve(reference.FamiliarString, out var current) && current.Id == configId
            : images.TryResolve(configId.Value, out _);

        var missing = new List<int>();
        for (var i = 0; i < diffIds.Count; i++)
        {
            var id = ShortId(manifest.Layers[i].Digest);
            if (images.Content.Exists(diffIds[i]))
            {
                RecordSource(client, reference, manifest.Layers[i], diffIds[i]);
                await Report(new DistributionProgress(id, "Already exists")).ConfigureAwait(false);
            }
            else
            {
                missing.Add(i);
                await Report(new DistributionProgress(id, "Pulling fs layer")).ConfigureAwait(false);
            }
        }

        // Layers are extracted in order as soon as they (and those below them) have arrived, while later ones are
        // still downloading, as Docker does. The first failure cancels the other downloads.
        using var downloads = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentDownloads));
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var transfers = missing.ToDictionary(i => i, i => Task.Run(async () =>
        {
            await downloads.WaitAsync(failed.Token).ConfigureAwait(false);
            try
            {
                await DownloadLayerAsync(client, reference, manifest.Layers[i], diffIds[i], Report, failed.Token).ConfigureAwait(false);
                RecordSource(client, reference, manifest.Layers[i], diffIds[i]);
            }
            finally
            {
                downloads.Release();
            }
        }, CancellationToken.None));
        try
        {
            for (var i = 0; i < diffIds.Count; i++)
            {
                if (!transfers.TryGetValue(i, out var transfer)) continue;
                await transfer.ConfigureAwait(false);
                var id = ShortId(manifest.Layers[i].Digest);
                var size = images.Content.Size(diffIds[i]);
                await Report(new DistributionProgress(id, "Extracting", size, size)).ConfigureAwait(false);
                images.EnsureLayers(diffIds.Take(i + 1).ToList());
                await Report(new DistributionProgress(id, "Pull complete")).ConfigureAwait(false);
            }
        }
        catch
        {
            await failed.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(transfers.Values).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or EngineException or HttpRequestException or IOException)
            {
                // Already failing with the first error; the others only stopped because of it.
            }
            throw;
        }

        var tag = reference.Tag is not null ? reference : (ImageReference?)null;
        var image = images.RegisterPulled(configBytes, tag, reference.FamiliarString);
        RepoDigests.Add(image.Id, $"{reference.FamiliarName}@{topDigest}");
        await Report(new DistributionProgress(null, $"Digest: {topDigest}")).ConfigureAwait(false);
        await Report(new DistributionProgress(null, upToDate
            ? $"Status: Image is up to date for {reference.FamiliarString}"
            : $"Status: Downloaded newer image for {reference.FamiliarString}")).ConfigureAwait(false);
        return image;
    }

    /// <summary>Remembers which compressed blob each layer is on which registry, for pushes (HEAD checks, mounts).</summary>
    public LayerSourceStore LayerSources { get; } = new(dataRoot);

    private void RecordSource(RegistryClient client, ImageReference reference, Descriptor layer, Digest diffId) =>
        LayerSources.Add(diffId, new LayerSource(client.Host, reference.Path, layer.Digest, layer.MediaType, layer.Size));

    /// <summary>Remembers repository digests ("name@sha256:...") per image id, for RepoDigests.</summary>
    public RepoDigestStore RepoDigests { get; } = new(dataRoot);

    private static async Task<(byte[] Body, string? MediaType)> FetchManifestAsync(RegistryClient client, ImageReference reference, string wanted, CancellationToken ct)
    {
        using var response = await client.SendAsync(b => Get(b, $"/v2/{reference.Path}/manifests/{wanted}", ManifestAccept), reference.Path, push: false, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw EngineException.NotFound($"manifest for {reference.FamiliarString} not found: manifest unknown: manifest unknown");
        if (IsAuthFailure(response.StatusCode)) throw AccessDenied("pull", reference);
        if (!response.IsSuccessStatusCode)
            throw new EngineException(ErrorKind.Unknown, $"error pulling {reference.FamiliarString}: {await DescribeErrorAsync(response, ct).ConfigureAwait(false)}");
        var body = await BoundedBody.ReadAsync(response, BoundedBody.ManifestLimit, "manifest", ct).ConfigureAwait(false);
        return (body, response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<byte[]> FetchSmallBlobAsync(RegistryClient client, ImageReference reference, Digest digest, CancellationToken ct)
    {
        using var response = await client.SendAsync(b => Get(b, $"/v2/{reference.Path}/blobs/{digest}"), reference.Path, push: false, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw new EngineException(ErrorKind.NotFound, $"fetching blob {digest}: {await DescribeErrorAsync(response, ct).ConfigureAwait(false)}");
        var body = await BoundedBody.ReadAsync(response, BoundedBody.ConfigLimit, $"blob {digest}", ct).ConfigureAwait(false);
        if (Digest.Compute(body) != digest) throw EngineException.Invalid($"blob {digest} failed digest verification");
        return body;
    }

    private async Task DownloadLayerAsync(RegistryClient client, ImageReference reference, Descriptor layer, Digest diffId,
        Func<DistributionProgress, Task> report, CancellationToken ct)
    {
        var id = ShortId(layer.Digest);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await DownloadLayerOnceAsync(client, reference, layer, diffId, report, ct).ConfigureAwait(false);
                await report(new DistributionProgress(id, "Download complete")).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (attempt < options.TransferAttempts && !ct.IsCancellationRequested && e is HttpRequestException or IOException)
            {
                await report(new DistributionProgress(id, $"Retrying in {attempt} second{(attempt == 1 ? "" : "s")}")).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(attempt), ct).ConfigureAwait(false);
            }
        }
    }

    private async Task DownloadLayerOnceAsync(RegistryClient client, ImageReference reference, Descriptor layer, Digest diffId,
        Func<DistributionProgress, Task> report, CancellationToken ct)
    {
        var id = ShortId(layer.Digest);
        using var response = await client.SendAsync(b => Get(b, $"/v2/{reference.Path}/blobs/{layer.Digest}"), reference.Path, push: false, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new EngineException(ErrorKind.NotFound, $"fetching layer {layer.Digest}: {await DescribeErrorAsync(response, ct).ConfigureAwait(false)}");
        var total = response.Content.Headers.ContentLength ?? layer.Size;
        var network = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (network.ConfigureAwait(false))
        {
            using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var counted = new ProgressReadStream(network, hasher, async read =>
                await report(new DistributionProgress(id, "Downloading", read, total)).ConfigureAwait(false), ProgressStep);
            var plain = await ArchiveDecompression.OpenAsync(counted, ct).ConfigureAwait(false);
            await using (plain.ConfigureAwait(false))
            {
                using var writer = images.Content.BeginWrite();
                await plain.CopyToAsync(writer, ct).ConfigureAwait(false);
                // Read whatever trails the compressed stream, so the digest covers every byte of the blob.
                await counted.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
                await report(new DistributionProgress(id, "Verifying Checksum")).ConfigureAwait(false);
                var actual = Digest.FromHex(Convert.ToHexStringLower(hasher.GetHashAndReset()));
                if (actual != layer.Digest) throw EngineException.Invalid($"filesystem layer verification failed for digest {layer.Digest}");
                writer.Commit(diffId);
            }
        }
    }

    private static Descriptor SelectPlatform(ManifestInfo index, string? platform)
    {
        var (os, architecture, variant) = PlatformSpec.Parse(platform);
        var candidates = index.Manifests.Where(m => m.Os == os && m.Architecture == architecture).ToList();
        var match = candidates.FirstOrDefault(m => variant is null || m.Variant == variant) ?? candidates.FirstOrDefault();
        return match ?? throw EngineException.NotFound($"no matching manifest for {os}/{architecture}{(variant is null ? "" : "/" + variant)} in the manifest list entries");
    }

    private static string ShortId(Digest digest) => digest.Hex[..12];
}
