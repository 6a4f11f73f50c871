using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Engine.Images;

namespace Wharf.Engine.Distribution;

public sealed partial class ImageDistributionService
{
    private const string OciManifestType = "application/vnd.oci.image.manifest.v1+json";
    private const string OciConfigType = "application/vnd.oci.image.config.v1+json";
    // Layers are kept uncompressed locally (their blob digest is the diff id); like Docker, a push gzips them (or
    // reuses the compressed blob the registry already has, see LayerSourceStore).
    private const string OciGzipLayerType = "application/vnd.oci.image.layer.v1.tar+gzip";

    /// <summary>docker push NAME[:TAG]: without a tag, every local tag of the repository is pushed.</summary>
    public async Task PushAsync(string name, string? tag, RegistryCredentials? credentials, Func<DistributionProgress, Task> report, CancellationToken ct)
    {
        var repository = ImageReference.Parse(name);
        var tags = new List<ImageReference>();
        if (!string.IsNullOrEmpty(tag))
        {
            tags.Add(ImageReference.Parse($"{repository.FamiliarName}:{tag}"));
        }
        else if (repository.Digest is null && name.Contains(':', StringComparison.Ordinal) && name.LastIndexOf(':') > name.LastIndexOf('/'))
        {
            tags.Add(repository);
        }
        else
        {
            tags.AddRange(images.List().SelectMany(i => i.RepoTags).Select(ImageReference.Parse)
                .Where(r => r.Name == repository.Name).OrderBy(r => r.Tag, StringComparer.Ordinal));
        }
        if (tags.Count == 0 || !tags.All(t => images.TryResolve(t.FamiliarString, out _)))
            throw EngineException.NotFound($"An image does not exist locally with the tag: {repository.FamiliarName}");

        using var client = new RegistryClient(repository.Domain, credentials, options);
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

        await Report(new DistributionProgress(null, $"The push refers to repository [{repository.Name}]")).ConfigureAwait(false);
        foreach (var reference in tags)
        {
            await PushTagAsync(client, reference, Report, ct).ConfigureAwait(false);
        }
    }

    private async Task PushTagAsync(RegistryClient client, ImageReference reference, Func<DistributionProgress, Task> report, CancellationToken ct)
    {
        var image = images.Resolve(reference.FamiliarString);
        var layers = image.DiffIds;
        // Docker lists layers top first.
        foreach (var layer in layers.Reverse()) await report(new DistributionProgress(ShortId(layer), "Preparing")).ConfigureAwait(false);

        using var uploads = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentUploads));
        var pushed = await Task.WhenAll(layers.Select(async layer =>
        {
            await uploads.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return await PushLayerAsync(client, reference, layer, report, ct).ConfigureAwait(false);
            }
            finally
            {
                uploads.Release();
            }
        })).ConfigureAwait(false);
        await PushBlobAsync(client, reference, image.Id, null, report, ct).ConfigureAwait(false);

        var manifest = BuildManifest(image.Id, images.Content.Size(image.Id), pushed);
        using var response = await client.SendAsync(b =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, new Uri(b, $"/v2/{reference.Path}/manifests/{reference.Tag}"))
            {
                Content = new ByteArrayContent(manifest),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(OciManifestType);
            return request;
        }, reference.Path, push: true, ct).ConfigureAwait(false);
        if (IsAuthFailure(response.StatusCode)) throw AccessDenied("push", reference);
        if (!response.IsSuccessStatusCode)
            throw new EngineException(ErrorKind.Unknown, $"failed to push manifest: {await DescribeErrorAsync(response, ct).ConfigureAwait(false)}");
        var digest = Digest.Compute(manifest);
        RepoDigests.Add(image.Id, $"{reference.FamiliarName}@{digest}");
        await report(new DistributionProgress(null, $"{reference.Tag}: digest: {digest} size: {manifest.Length}")
        {
            PushResult = (reference.Tag!, digest.Value, manifest.Length),
        }).ConfigureAwait(false);
    }

    /// <summary>HEAD first (skip what the registry has), then POST + PATCH (the whole blob) + PUT ?digest=.</summary>
    private async Task PushBlobAsync(RegistryClient client, ImageReference reference, Digest blob, string? progressId,
        Func<DistributionProgress, Task> report, CancellationToken ct)
    {
        var path = reference.Path;
        using (var head = await client.SendAsync(b => new HttpRequestMessage(HttpMethod.Head, new Uri(b, $"/v2/{path}/blobs/{blob}")), path, push: true, ct).ConfigureAwait(false))
        {
            if (head.StatusCode == HttpStatusCode.OK)
            {
                if (progressId is not null) await report(new DistributionProgress(progressId, "Layer already exists")).ConfigureAwait(false);
                return;
            }
            if (IsAuthFailure(head.StatusCode)) throw AccessDenied("push", reference);
        }

        var size = images.Content.Size(blob);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await UploadBlobOnceAsync(client, reference, blob, size, progressId, report, ct).ConfigureAwait(false);
                break;
            }
            catch (Exception e) when (attempt < options.TransferAttempts && !ct.IsCancellationRequested && e is HttpRequestException or IOException)
            {
                if (progressId is not null) await report(new DistributionProgress(progressId, $"Retrying in {attempt} second{(attempt == 1 ? "" : "s")}")).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(attempt), ct).ConfigureAwait(false);
            }
        }
        if (progressId is not null) await report(new DistributionProgress(progressId, "Pushed")).ConfigureAwait(false);
    }

    private async Task UploadBlobOnceAsync(RegistryClient client, ImageReference reference, Digest blob, long size, string? progressId,
        Func<DistributionProgress, Task> report, CancellationToken ct)
    {
        var path = reference.Path;
        Uri location;
        using (var start = await client.SendAsync(b => new HttpRequestMessage(HttpMethod.Post, new Uri(b, $"/v2/{path}/blobs/uploads/")), path, push: true, ct).ConfigureAwait(false))
        {
            if (IsAuthFailure(start.StatusCode)) throw AccessDenied("push", reference);
            if (start.StatusCode != HttpStatusCode.Accepted || start.Headers.Location is null)
                throw new EngineException(ErrorKind.Unknown, $"starting upload of {blob}: {await DescribeErrorAsync(start, ct).ConfigureAwait(false)}");
            location = start.Headers.Location.IsAbsoluteUri ? start.Headers.Location : new Uri(start.RequestMessage!.RequestUri!, start.Headers.Location);
        }

        using (var patch = await client.SendAsync(_ =>
        {
            var content = images.Content.OpenRead(blob);
            var counted = progressId is null ? content
                : new ProgressReadStream(content, System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256),
                    read => report(new DistributionProgress(progressId, "Pushing", read, size)), ProgressStep);
            var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new StreamContent(counted, 256 * 1024) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            request.Content.Headers.ContentLength = size;
            return request;
        }, path, push: true, ct).ConfigureAwait(false))
        {
            if (!patch.IsSuccessStatusCode)
                throw new EngineException(ErrorKind.Unknown, $"uploading {blob}: {await DescribeErrorAsync(patch, ct).ConfigureAwait(false)}");
            if (patch.Headers.Location is { } next) location = next.IsAbsoluteUri ? next : new Uri(location, next);
        }

        var separator = location.Query.Length > 0 ? "&" : "?";
        var finish = new Uri(location + separator + "digest=" + Uri.EscapeDataString(blob.Value));
        using var put = await client.SendAsync(_ => new HttpRequestMessage(HttpMethod.Put, finish), path, push: true, ct).ConfigureAwait(false);
        if (put.StatusCode != HttpStatusCode.Created)
            throw new EngineException(ErrorKind.Unknown, $"completing upload of {blob}: {await DescribeErrorAsync(put, ct).ConfigureAwait(false)}");
    }

    private static byte[] BuildManifest(Digest config, long configSize, IReadOnlyList<LayerSource> layers)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", OciManifestType);
            json.WriteStartObject("config");
            json.WriteString("mediaType", OciConfigType);
            json.WriteString("digest", config.Value);
            json.WriteNumber("size", configSize);
            json.WriteEndObject();
            json.WriteStartArray("layers");
            foreach (var layer in layers)
            {
                json.WriteStartObject();
                json.WriteString("mediaType", OciLayerMediaType(layer.MediaType));
                json.WriteString("digest", layer.Blob.Value);
                json.WriteNumber("size", layer.Size);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
