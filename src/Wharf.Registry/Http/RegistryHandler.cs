using System.Globalization;
using System.Text.Json;
using Wharf.Core;
using Wharf.Registry.Auth;
using Wharf.Registry.Distribution;
using Wharf.Registry.Errors;
using Wharf.Registry.Hosting;

namespace Wharf.Registry.Http;

/// <summary>Serves the OCI distribution API. One terminal handler dispatches on <see cref="RegistryRoute"/>, checks
/// access, and turns <see cref="RegistryException"/>s into the spec's error body in one place.</summary>
internal sealed class RegistryHandler(RegistryStore store, IAccessController access, RegistryMetrics metrics, bool readOnly)
{
    public const string ApiVersionHeader = "Docker-Distribution-API-Version";
    private const int MaxManifestBytes = 4 * 1024 * 1024;
    private const int DefaultPageSize = 1000;

    public async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        try
        {
            await DispatchAsync(context).ConfigureAwait(false);
        }
        catch (RegistryException e)
        {
            if (!response.HasStarted) await WriteErrorAsync(context, e.Code, e.Message, e.Detail).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!response.HasStarted)
        {
            await WriteErrorAsync(context, RegistryErrorCode.SizeInvalid, e.Message, null).ConfigureAwait(false);
        }
        finally
        {
            metrics.CountRequest(context.Request.Method, response.StatusCode);
        }
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (path == "/metrics" && HttpMethods.IsGet(request.Method))
        {
            // Request counts by repository activity are operational data: behind the same auth as the catalog.
            var allowed = access.Authorize(request, [AccessScope.Catalog]);
            if (!allowed.Allowed)
            {
                if (allowed.Challenge is not null) context.Response.Headers.WWWAuthenticate = allowed.Challenge;
                throw new RegistryException(allowed.Denied ? RegistryErrorCode.Denied : RegistryErrorCode.Unauthorized);
            }
            context.Response.ContentType = "text/plain; version=0.0.4";
            await context.Response.WriteAsync(metrics.Render(), context.RequestAborted).ConfigureAwait(false);
            return;
        }
        var route = RegistryRoute.Parse(path);
        if (route is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.Headers[ApiVersionHeader] = "registry/2.0";
        var method = request.Method;
        var writes = !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method));

        var scopes = new List<AccessScope>();
        if (route.Endpoint == RegistryEndpoint.Catalog) scopes.Add(AccessScope.Catalog);
        else if (route.Endpoint != RegistryEndpoint.Base) scopes.Add(AccessScope.Repository(RegistryNames.ValidateRepository(route.Name), writes));
        var decision = access.Authorize(request, scopes);
        if (!decision.Allowed)
        {
            if (decision.Challenge is not null) context.Response.Headers.WWWAuthenticate = decision.Challenge;
            throw new RegistryException(decision.Denied ? RegistryErrorCode.Denied : RegistryErrorCode.Unauthorized);
        }
        if (writes && readOnly) throw new RegistryException(RegistryErrorCode.Unsupported, "registry is in read-only mode");

        switch (route.Endpoint)
        {
            case RegistryEndpoint.Base when HttpMethods.IsGet(method) || HttpMethods.IsHead(method):
                await WriteJsonAsync(context, StatusCodes.Status200OK, json => { json.WriteStartObject(); json.WriteEndObject(); }).ConfigureAwait(false);
                return;
            case RegistryEndpoint.Catalog when HttpMethods.IsGet(method):
                await CatalogAsync(context).ConfigureAwait(false);
                return;
            case RegistryEndpoint.Tags when HttpMethods.IsGet(method):
                await TagsAsync(context, route.Name).ConfigureAwait(false);
                return;
            case RegistryEndpoint.Manifest:
                await ManifestAsync(context, route.Name, route.Reference).ConfigureAwait(false);
                return;
            case RegistryEndpoint.Blob:
                await BlobAsync(context, route.Name, RegistryNames.ParseDigest(route.Reference)).ConfigureAwait(false);
                return;
            case RegistryEndpoint.Uploads when HttpMethods.IsPost(method):
                await StartUploadAsync(context, route.Name).ConfigureAwait(false);
                return;
            case RegistryEndpoint.Upload:
                await UploadAsync(context, route.Name, route.Reference).ConfigureAwait(false);
                return;
            case RegistryEndpoint.Referrers when HttpMethods.IsGet(method):
                await ReferrersAsync(context, route.Name, RegistryNames.ParseDigest(route.Reference)).ConfigureAwait(false);
                return;
            default:
                throw new RegistryException(RegistryErrorCode.Unsupported);
        }
    }

    // ---- blobs ----

    private async Task BlobAsync(HttpContext context, string name, Digest digest)
    {
        var method = context.Request.Method;
        var response = context.Response;
        if (HttpMethods.IsDelete(method))
        {
            if (!store.UnlinkBlob(name, digest)) throw new RegistryException(RegistryErrorCode.BlobUnknown, detail: digest.Value);
            response.StatusCode = StatusCodes.Status202Accepted;
            response.ContentLength = 0;
            return;
        }
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method)) throw new RegistryException(RegistryErrorCode.Unsupported);
        var size = store.BlobSize(name, digest) ?? throw new RegistryException(RegistryErrorCode.BlobUnknown, detail: digest.Value);
        response.Headers["Docker-Content-Digest"] = digest.Value;
        response.Headers.ETag = $"\"{digest.Value}\"";
        response.Headers.CacheControl = "max-age=31536000";
        if (HttpMethods.IsHead(method))
        {
            response.Headers.AcceptRanges = "bytes";
            response.ContentType = MediaTypes.OctetStream;
            response.ContentLength = size;
            return;
        }
        metrics.AddBytesSent(size);
        IResult result = store.BlobFile(digest) is { } file
            ? Results.File(file, MediaTypes.OctetStream, enableRangeProcessing: true)
            : Results.Stream(store.OpenBlob(digest) ?? throw new RegistryException(RegistryErrorCode.BlobUnknown, detail: digest.Value),
                MediaTypes.OctetStream, enableRangeProcessing: true);
        await result.ExecuteAsync(context).ConfigureAwait(false);
    }

    private async Task StartUploadAsync(HttpContext context, string name)
    {
        var request = context.Request;
        var response = context.Response;
        var mount = request.Query["mount"].ToString();
        var from = request.Query["from"].ToString();
        if (mount.Length > 0 && from.Length > 0 && Digest.TryParse(mount, out var mounted) && RegistryNamesValid(from)
            && access.Authorize(request, [AccessScope.Repository(from, push: false)]).Allowed && store.BlobSize(from, mounted) is not null)
        {
            store.LinkBlob(name, mounted);
            BlobCreated(response, name, mounted);
            return;
        }

        var uuid = store.StartUpload(name);
        var digestText = request.Query["digest"].ToString();
        if (digestText.Length > 0)
        {
            var digest = RegistryNames.ParseDigest(digestText);
            var size = await store.AppendUploadAsync(name, uuid, request.Body, null, null, context.RequestAborted).ConfigureAwait(false);
            metrics.AddBytesReceived(size);
            await store.CompleteUploadAsync(name, uuid, digest, context.RequestAborted).ConfigureAwait(false);
            metrics.CountBlobUpload();
            BlobCreated(response, name, digest);
            return;
        }
        UploadAccepted(response, name, uuid, 0);
    }

    private async Task UploadAsync(HttpContext context, string name, string uuid)
    {
        var request = context.Request;
        var response = context.Response;
        var method = request.Method;
        if (HttpMethods.IsGet(method))
        {
            var size = store.UploadSize(name, uuid);
            UploadAccepted(response, name, uuid, size);
            response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        if (HttpMethods.IsDelete(method))
        {
            store.CancelUpload(name, uuid);
            response.StatusCode = StatusCodes.Status204NoContent;
            response.ContentLength = 0;
            return;
        }
        if (HttpMethods.IsPatch(method))
        {
            var (start, end) = ParseContentRange(request.Headers.ContentRange.ToString());
            var before = store.UploadSize(name, uuid);
            var size = await store.AppendUploadAsync(name, uuid, request.Body, start, end, context.RequestAborted).ConfigureAwait(false);
            metrics.AddBytesReceived(size - before);
            UploadAccepted(response, name, uuid, size);
            return;
        }
        if (HttpMethods.IsPut(method))
        {
            var digest = RegistryNames.ParseDigest(request.Query["digest"].ToString());
            var before = store.UploadSize(name, uuid);
            if (request.ContentLength is null or > 0)
            {
                var (start, end) = ParseContentRange(request.Headers.ContentRange.ToString());
                var size = await store.AppendUploadAsync(name, uuid, request.Body, start, end, context.RequestAborted).ConfigureAwait(false);
                metrics.AddBytesReceived(size - before);
            }
            await store.CompleteUploadAsync(name, uuid, digest, context.RequestAborted).ConfigureAwait(false);
            metrics.CountBlobUpload();
            BlobCreated(response, name, digest);
            return;
        }
        throw new RegistryException(RegistryErrorCode.Unsupported);
    }

    private static bool RegistryNamesValid(string name)
    {
        try
        {
            RegistryNames.ValidateRepository(name);
            return true;
        }
        catch (RegistryException)
        {
            return false;
        }
    }

    /// <summary>Content-Range "start-end" (inclusive), optionally with a "bytes " prefix; absent means unchecked.</summary>
    private static (long? Start, long? End) ParseContentRange(string header)
    {
        if (string.IsNullOrWhiteSpace(header)) return (null, null);
        var text = header.Trim();
        if (text.StartsWith("bytes", StringComparison.OrdinalIgnoreCase)) text = text[5..].TrimStart(' ', '=');
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0) text = text[..slash];
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !long.TryParse(text[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !long.TryParse(text[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var end) || end < start)
            throw new RegistryException(RegistryErrorCode.RangeInvalid, "invalid Content-Range", header);
        return (start, end);
    }

    private static void UploadAccepted(HttpResponse response, string name, string uuid, long size)
    {
        response.StatusCode = StatusCodes.Status202Accepted;
        response.Headers.Location = $"/v2/{name}/blobs/uploads/{uuid}";
        response.Headers.Range = $"0-{Math.Max(size - 1, 0)}";
        response.Headers["Docker-Upload-UUID"] = uuid;
        response.ContentLength = 0;
    }

    private static void BlobCreated(HttpResponse response, string name, Digest digest)
    {
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers.Location = $"/v2/{name}/blobs/{digest.Value}";
        response.Headers["Docker-Content-Digest"] = digest.Value;
        response.ContentLength = 0;
    }

    // ---- manifests ----

    private async Task ManifestAsync(HttpContext context, string name, string reference)
    {
        var request = context.Request;
        var response = context.Response;
        var method = request.Method;
        if (HttpMethods.IsPut(method))
        {
            var body = await ReadLimitedAsync(request.Body, MaxManifestBytes, context.RequestAborted).ConfigureAwait(false);
            var (digest, document) = store.PutManifest(name, reference, body, request.ContentType);
            metrics.CountManifestPush();
            response.StatusCode = StatusCodes.Status201Created;
            response.Headers.Location = $"/v2/{name}/manifests/{digest.Value}";
            response.Headers["Docker-Content-Digest"] = digest.Value;
            if (document.Subject is { } subject) response.Headers["OCI-Subject"] = subject.Value;
            response.ContentLength = 0;
            return;
        }
        if (HttpMethods.IsDelete(method))
        {
            store.DeleteManifest(name, reference);
            response.StatusCode = StatusCodes.Status202Accepted;
            response.ContentLength = 0;
            return;
        }
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method)) throw new RegistryException(RegistryErrorCode.Unsupported);

        var (content, mediaType, found) = Negotiate(name, store.GetManifest(name, reference), request.Headers.Accept.ToString());
        response.ContentType = mediaType;
        response.Headers["Docker-Content-Digest"] = found.Value;
        response.Headers.ETag = $"\"{found.Value}\"";
        response.ContentLength = content.Length;
        if (HttpMethods.IsGet(method)) await response.Body.WriteAsync(content, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Honours Accept when the client names manifest types: an index the client cannot read is replaced by its
    /// linux/amd64 image (as Docker's registry does); an OCI manifest a Docker-only client cannot read is MANIFEST_UNKNOWN.</summary>
    private (byte[] Body, string MediaType, Digest Digest) Negotiate(string name, (byte[] Body, string MediaType, Digest Digest) manifest, string accept)
    {
        var accepted = accept.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ManifestDocument.BareContentType).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (!accepted.Any(MediaTypes.IsKnownManifest) || accepted.Contains(manifest.MediaType) || accepted.Contains("*/*")) return manifest;
        if (MediaTypes.IsIndex(manifest.MediaType) && DefaultPlatformChild(manifest.Body) is { } child)
        {
            var resolved = store.GetManifest(name, child.Value);
            if (accepted.Contains(resolved.MediaType)) return resolved;
        }
        throw new RegistryException(RegistryErrorCode.ManifestUnknown,
            $"{manifest.MediaType} manifest found, but the Accept header does not support it", manifest.Digest.Value);
    }

    private static Digest? DefaultPlatformChild(byte[] index)
    {
        using var document = JsonDocument.Parse(index);
        foreach (var child in document.RootElement.GetProperty("manifests").EnumerateArray())
        {
            if (child.TryGetProperty("platform", out var platform)
                && platform.TryGetProperty("os", out var os) && os.GetString() == "linux"
                && platform.TryGetProperty("architecture", out var arch) && arch.GetString() == "amd64"
                && Digest.TryParse(child.GetProperty("digest").GetString(), out var digest))
                return digest;
        }
        return null;
    }

    private static async Task<byte[]> ReadLimitedAsync(Stream body, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit) throw new RegistryException(RegistryErrorCode.ManifestInvalid, "manifest too big");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    // ---- listings ----

    private async Task TagsAsync(HttpContext context, string name)
    {
        var tags = store.Tags(name) ?? throw new RegistryException(RegistryErrorCode.NameUnknown, detail: name);
        var page = Paginate(context, tags, $"/v2/{name}/tags/list");
        await WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteStartArray("tags");
            foreach (var tag in page) json.WriteStringValue(tag);
            json.WriteEndArray();
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private async Task CatalogAsync(HttpContext context)
    {
        var page = Paginate(context, store.Repositories(), "/v2/_catalog");
        await WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("repositories");
            foreach (var repository in page) json.WriteStringValue(repository);
            json.WriteEndArray();
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>n/last pagination over a sorted list, with an RFC 5988 Link header when more entries follow.</summary>
    private static List<string> Paginate(HttpContext context, IReadOnlyList<string> sorted, string path)
    {
        var query = context.Request.Query;
        var last = query["last"].ToString();
        var n = DefaultPageSize;
        var nText = query["n"].ToString();
        if (nText.Length > 0 && (!int.TryParse(nText, NumberStyles.None, CultureInfo.InvariantCulture, out n) || n < 0))
            throw new RegistryException(RegistryErrorCode.PaginationNumberInvalid, detail: nText);
        var remaining = sorted.Where(s => last.Length == 0 || string.CompareOrdinal(s, last) > 0).ToList();
        var page = remaining.Take(n).ToList();
        if (remaining.Count > page.Count && page.Count > 0)
        {
            context.Response.Headers.Link = $"<{path}?n={n}&last={Uri.EscapeDataString(page[^1])}>; rel=\"next\"";
        }
        return page;
    }

    private async Task ReferrersAsync(HttpContext context, string name, Digest subject)
    {
        var filter = context.Request.Query["artifactType"].ToString();
        var referrers = new List<(Digest Digest, long Size, ManifestDocument Document)>();
        foreach (var revision in store.ManifestRevisions(name))
        {
            var body = store.Driver.GetContent(StoragePaths.Blob(revision));
            if (body is null) continue;
            ManifestDocument document;
            try
            {
                document = ManifestDocument.Parse(body, null);
            }
            catch (RegistryException)
            {
                continue;
            }
            if (document.Subject != subject) continue;
            var artifactType = document.ArtifactType ?? document.ConfigMediaType;
            if (filter.Length > 0 && artifactType != filter) continue;
            referrers.Add((revision, body.LongLength, document));
        }
        if (filter.Length > 0) context.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        context.Response.ContentType = MediaTypes.OciIndex;
        await WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", MediaTypes.OciIndex);
            json.WriteStartArray("manifests");
            foreach (var (digest, size, document) in referrers)
            {
                json.WriteStartObject();
                json.WriteString("mediaType", document.MediaType);
                json.WriteString("digest", digest.Value);
                json.WriteNumber("size", size);
                if ((document.ArtifactType ?? document.ConfigMediaType) is { } type) json.WriteString("artifactType", type);
                if (document.AnnotationsJson is { } annotations)
                {
                    json.WritePropertyName("annotations");
                    json.WriteRawValue(annotations);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }, MediaTypes.OciIndex).ConfigureAwait(false);
    }

    // ---- output ----

    private static async Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write, string contentType = "application/json")
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer)) write(json);
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = buffer.Length;
        if (!HttpMethods.IsHead(context.Request.Method)) await response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>{"errors":[{"code","message","detail"}]} with the status the code maps to.</summary>
    private static Task WriteErrorAsync(HttpContext context, RegistryErrorCode code, string message, string? detail)
    {
        var (wire, status, _) = RegistryErrors.Describe(code);
        return WriteJsonAsync(context, status, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("errors");
            json.WriteStartObject();
            json.WriteString("code", wire);
            json.WriteString("message", message);
            if (detail is null) json.WriteNull("detail");
            else json.WriteString("detail", detail);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }
}
