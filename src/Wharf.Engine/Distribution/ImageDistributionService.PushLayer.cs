using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Engine.Images;

namespace Wharf.Engine.Distribution;

public sealed partial class ImageDistributionService
{
    /// <summary>Pushes one layer the way Docker does: a compressed blob the registry is known to have in this
    /// repository is only checked with HEAD ("Layer already exists"); one known in another repository of the same
    /// registry is mounted from there ("Mounted from …"); otherwise the layer is gzipped on the fly and uploaded,
    /// in <see cref="DistributionOptions.UploadChunkSize"/> PATCH chunks, hashing the compressed bytes as they go.</summary>
    private async Task<LayerSource> PushLayerAsync(RegistryClient client, ImageReference reference, Digest diffId,
        Func<DistributionProgress, Task> report, CancellationToken ct)
    {
        var id = ShortId(diffId);
        var path = reference.Path;
        var known = LayerSources.Get(diffId, client.Host);
        foreach (var source in known.Take(4))
        {
            using var head = await client.SendAsync(b => new HttpRequestMessage(HttpMethod.Head, new Uri(b, $"/v2/{path}/blobs/{source.Blob}")), path, push: true, ct).ConfigureAwait(false);
            if (IsAuthFailure(head.StatusCode)) throw AccessDenied("push", reference);
            if (head.StatusCode != HttpStatusCode.OK) continue;
            await report(new DistributionProgress(id, "Layer already exists")).ConfigureAwait(false);
            return Remember(diffId, source with { Registry = client.Host, Repository = path });
        }
        foreach (var source in known.Where(s => s.Repository != path).Take(3))
        {
            using var mount = await client.SendAsync(b => new HttpRequestMessage(HttpMethod.Post,
                new Uri(b, $"/v2/{path}/blobs/uploads/?mount={Uri.EscapeDataString(source.Blob.Value)}&from={Uri.EscapeDataString(source.Repository)}")), path, push: true, ct).ConfigureAwait(false);
            if (IsAuthFailure(mount.StatusCode)) throw AccessDenied("push", reference);
            if (mount.StatusCode == HttpStatusCode.Created)
            {
                await report(new DistributionProgress(id, $"Mounted from {source.Repository}")).ConfigureAwait(false);
                return Remember(diffId, source with { Registry = client.Host, Repository = path });
            }
            // 202: the registry opened an ordinary upload instead; drop it, the upload below starts its own.
            if (mount.StatusCode == HttpStatusCode.Accepted && mount.Headers.Location is { } abandoned)
            {
                var target = abandoned.IsAbsoluteUri ? abandoned : new Uri(mount.RequestMessage!.RequestUri!, abandoned);
                using var cancel = await client.SendAsync(_ => new HttpRequestMessage(HttpMethod.Delete, target), path, push: true, ct).ConfigureAwait(false);
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var uploaded = await UploadCompressedAsync(client, reference, diffId, id, report, ct).ConfigureAwait(false);
                await report(new DistributionProgress(id, "Pushed")).ConfigureAwait(false);
                return Remember(diffId, uploaded);
            }
            catch (Exception e) when (attempt < options.TransferAttempts && !ct.IsCancellationRequested && e is HttpRequestException or IOException)
            {
                await report(new DistributionProgress(id, $"Retrying in {attempt} second{(attempt == 1 ? "" : "s")}")).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(attempt), ct).ConfigureAwait(false);
            }
        }
    }

    private LayerSource Remember(Digest diffId, LayerSource source)
    {
        LayerSources.Add(diffId, source);
        return source;
    }

    private async Task<LayerSource> UploadCompressedAsync(RegistryClient client, ImageReference reference, Digest diffId, string id,
        Func<DistributionProgress, Task> report, CancellationToken ct)
    {
        var path = reference.Path;
        var location = await StartUploadAsync(client, reference, ct).ConfigureAwait(false);
        var size = images.Content.Size(diffId);
        var chunkSize = Math.Max(64 * 1024, options.UploadChunkSize);

        // The compressor runs ahead of the upload by up to one chunk, so compressing and sending overlap.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: chunkSize, resumeWriterThreshold: chunkSize / 2, minimumSegmentSize: 256 * 1024));
        using var compressing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var compressor = Task.Run(async () =>
        {
            try
            {
                var content = images.Content.OpenRead(diffId);
                await using (content.ConfigureAwait(false))
                {
                    var counted = new ProgressReadStream(content, null,
                        read => report(new DistributionProgress(id, "Pushing", read, size)), ProgressStep);
                    // GZipStream writes in 8 KiB pieces; batching them keeps the pipe from waking the uploader per piece.
                    var batched = new BufferedStream(pipe.Writer.AsStream(leaveOpen: true), 1024 * 1024);
                    var gzip = new GZipStream(batched, CompressionLevel.Fastest, leaveOpen: false);
                    await using (gzip.ConfigureAwait(false))
                    {
                        await counted.CopyToAsync(gzip, 1024 * 1024, compressing.Token).ConfigureAwait(false);
                    }
                }
                await pipe.Writer.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e).ConfigureAwait(false);
            }
        }, CancellationToken.None);

        var buffer = ArrayPool<byte>.Shared.Rent(chunkSize);
        try
        {
            using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var compressed = pipe.Reader.AsStream();
            long offset = 0;
            while (true)
            {
                var n = await compressed.ReadAtLeastAsync(buffer.AsMemory(0, chunkSize), chunkSize, throwOnEndOfStream: false, ct).ConfigureAwait(false);
                if (n == 0) break;
                hasher.AppendData(buffer, 0, n);
                var start = offset;
                var target = location;
                using var patch = await client.SendAsync(_ =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Patch, target) { Content = new ByteArrayContent(buffer, 0, n) };
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + n - 1}");
                    return request;
                }, path, push: true, ct).ConfigureAwait(false);
                if (!patch.IsSuccessStatusCode)
                    throw new EngineException(ErrorKind.Unknown, $"uploading layer {diffId}: {await DescribeErrorAsync(patch, ct).ConfigureAwait(false)}");
                if (patch.Headers.Location is { } next) location = next.IsAbsoluteUri ? next : new Uri(location, next);
                offset += n;
                if (n < chunkSize) break;
            }
            await compressor.ConfigureAwait(false);
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            var digest = Digest.FromHex(Convert.ToHexStringLower(hasher.GetHashAndReset()));
            await FinishUploadAsync(client, path, location, digest, ct).ConfigureAwait(false);
            return new LayerSource(client.Host, path, digest, OciGzipLayerType, offset);
        }
        finally
        {
            await compressing.CancelAsync().ConfigureAwait(false);
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            try
            {
                await compressor.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
            {
                // The upload failed and was reported; the compressor only noticed that nobody reads any more.
            }
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<Uri> StartUploadAsync(RegistryClient client, ImageReference reference, CancellationToken ct)
    {
        var path = reference.Path;
        using var start = await client.SendAsync(b => new HttpRequestMessage(HttpMethod.Post, new Uri(b, $"/v2/{path}/blobs/uploads/")), path, push: true, ct).ConfigureAwait(false);
        if (IsAuthFailure(start.StatusCode)) throw AccessDenied("push", reference);
        if (start.StatusCode != HttpStatusCode.Accepted || start.Headers.Location is null)
            throw new EngineException(ErrorKind.Unknown, $"starting upload to {path}: {await DescribeErrorAsync(start, ct).ConfigureAwait(false)}");
        return start.Headers.Location.IsAbsoluteUri ? start.Headers.Location : new Uri(start.RequestMessage!.RequestUri!, start.Headers.Location);
    }

    private static async Task FinishUploadAsync(RegistryClient client, string path, Uri location, Digest digest, CancellationToken ct)
    {
        var separator = location.Query.Length > 0 ? "&" : "?";
        var finish = new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest.Value));
        using var put = await client.SendAsync(_ => new HttpRequestMessage(HttpMethod.Put, finish), path, push: true, ct).ConfigureAwait(false);
        if (put.StatusCode != HttpStatusCode.Created)
            throw new EngineException(ErrorKind.Unknown, $"completing upload of {digest}: {await DescribeErrorAsync(put, ct).ConfigureAwait(false)}");
    }

    /// <summary>An OCI manifest names its layers with OCI media types; blobs pulled through Docker schema2
    /// manifests carry Docker's names for the same formats.</summary>
    private static string OciLayerMediaType(string mediaType) => mediaType switch
    {
        "application/vnd.docker.image.rootfs.diff.tar.gzip" => OciGzipLayerType,
        "application/vnd.docker.image.rootfs.diff.tar" => "application/vnd.oci.image.layer.v1.tar",
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip" => "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
        "" => OciGzipLayerType,
        _ => mediaType,
    };
}
