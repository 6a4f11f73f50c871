using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Wharf.Core;
using Wharf.Registry.Errors;
using Wharf.Registry.Storage;

namespace Wharf.Registry.Distribution;

/// <summary>The registry's data model over an <see cref="IStorageDriver"/>: blobs, uploads, manifests, tags and
/// repositories. Nothing becomes visible before its digest is verified: uploads are hashed and then renamed into
/// <c>blobs/</c>, and only then linked into the repository.</summary>
internal sealed class RegistryStore(IStorageDriver driver, TimeProvider time)
{
    // One session per upload this process has seen: its writer gate and running SHA-256 (so completing it needs no
    // second read of the data). An upload resumed after a restart has no hash and is re-read at completion.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, UploadSession> _sessions = new(StringComparer.Ordinal);

    public IStorageDriver Driver => driver;

    // ---- blobs ----

    /// <summary>Size of a blob visible in <paramref name="repository"/>, or null.</summary>
    public long? BlobSize(string repository, Digest digest)
    {
        if (driver.Stat(StoragePaths.LayerLink(repository, digest)) is null) return null;
        return driver.Stat(StoragePaths.Blob(digest)) is { IsDirectory: false } entry ? entry.Size : null;
    }

    public Stream? OpenBlob(Digest digest, long offset = 0) => driver.OpenRead(StoragePaths.Blob(digest), offset);

    public string? BlobFile(Digest digest) => driver.LocalFilePath(StoragePaths.Blob(digest));

    public void LinkBlob(string repository, Digest digest) =>
        driver.PutContent(StoragePaths.LayerLink(repository, digest), Encoding.ASCII.GetBytes(digest.Value));

    /// <summary>Removes the blob from the repository (the content itself goes at the next garbage collection).</summary>
    public bool UnlinkBlob(string repository, Digest digest)
    {
        var link = StoragePaths.LayerLink(repository, digest);
        if (driver.Stat(link) is null) return false;
        driver.Delete(link[..link.LastIndexOf('/')]);
        return true;
    }

    // ---- uploads ----

    public string StartUpload(string repository)
    {
        var uuid = Guid.NewGuid().ToString();
        driver.PutContent(StoragePaths.UploadStartedAt(repository, uuid),
            Encoding.ASCII.GetBytes(time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)));
        driver.PutContent(StoragePaths.UploadData(repository, uuid), []);
        return uuid;
    }

    /// <summary>Bytes received so far; throws BLOB_UPLOAD_UNKNOWN for an unknown (or finished) upload.</summary>
    public long UploadSize(string repository, string uuid)
    {
        if (!Guid.TryParse(uuid, out _) || driver.Stat(StoragePaths.UploadStartedAt(repository, uuid)) is null)
            throw new RegistryException(RegistryErrorCode.BlobUploadUnknown);
        return driver.Stat(StoragePaths.UploadData(repository, uuid))?.Size ?? 0;
    }

    /// <summary>Appends <paramref name="body"/>. With <paramref name="rangeStart"/> (from Content-Range) the chunk must
    /// start exactly where the upload ends, else 416. The body is received into a private chunk object and appended
    /// only if, once it has all arrived, the upload still exists and nobody else appended meanwhile: a request still
    /// receiving its body never writes into data that another request is verifying or has committed.</summary>
    public async Task<long> AppendUploadAsync(string repository, string uuid, Stream body, long? rangeStart, long? rangeEnd, CancellationToken ct)
    {
        var session = Session(repository, uuid);
        long size;
        UploadHash? hash;
        await session.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            size = UploadSize(repository, uuid);
            if (rangeStart is { } start && start != size)
                throw new RegistryException(RegistryErrorCode.RangeInvalid, $"chunk starts at {start} but the upload has {size} bytes");
            hash = session.Hash is { } running && running.Size == size ? running.Clone() : null;
        }
        finally
        {
            session.Gate.Release();
        }

        var chunk = StoragePaths.UploadChunk(repository, uuid, Guid.NewGuid().ToString("N"));
        var accepted = false;
        try
        {
            long received;
            var writer = driver.CreateWriter(chunk, append: false);
            await using (writer.ConfigureAwait(false))
            {
                var buffer = new byte[1024 * 1024];
                int read;
                while ((read = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    await writer.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                    hash?.Append(buffer.AsSpan(0, read));
                }
                await writer.CommitAsync(ct).ConfigureAwait(false);
                received = writer.Size;
            }
            if (rangeEnd is { } end && size + received != end + 1)
                throw new RegistryException(RegistryErrorCode.RangeInvalid, "chunk length does not match Content-Range");

            await session.Gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                // The upload may have been completed, cancelled or appended to while this body arrived.
                if (UploadSize(repository, uuid) != size)
                    throw new RegistryException(RegistryErrorCode.RangeInvalid, "the upload was written by another request meanwhile");
                var data = StoragePaths.UploadData(repository, uuid);
                if (size == 0)
                {
                    driver.Move(chunk, data); // the common single-PATCH push: no copy
                }
                else
                {
                    await AppendObjectAsync(chunk, data, ct).ConfigureAwait(false);
                }
                accepted = true;
                session.Hash = hash;
                return size + received;
            }
            finally
            {
                session.Gate.Release();
            }
        }
        finally
        {
            if (!accepted) driver.Delete(chunk);
        }
    }

    /// <summary>Verifies the uploaded bytes against <paramref name="expected"/>, moves them into the blob store and links
    /// the blob into the repository. A mismatch deletes the upload and stores nothing. Runs under the upload's gate,
    /// so the bytes verified are the bytes committed.</summary>
    public async Task CompleteUploadAsync(string repository, string uuid, Digest expected, CancellationToken ct)
    {
        var session = Session(repository, uuid);
        await session.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var size = UploadSize(repository, uuid);
            var data = StoragePaths.UploadData(repository, uuid);
            Digest actual;
            if (session.Hash is { } running && running.Size == size)
            {
                actual = running.Finish();
                session.Hash = null;
            }
            else
            {
                var stream = driver.OpenRead(data) ?? throw new RegistryException(RegistryErrorCode.BlobUploadUnknown);
                await using (stream.ConfigureAwait(false))
                {
                    actual = Digest.FromHex(Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false)));
                }
            }
            if (actual != expected)
            {
                RemoveUpload(repository, uuid);
                throw new RegistryException(RegistryErrorCode.DigestInvalid, "provided digest did not match uploaded content", $"expected {expected}, got {actual}");
            }
            // A committed blob is never replaced: readers (and sendfile) may hold it open, and its bytes are already
            // the verified ones. Two pushes racing past this check both rename verified copies of the same bytes.
            if (driver.Stat(StoragePaths.Blob(expected)) is null) driver.Move(data, StoragePaths.Blob(expected));
            LinkBlob(repository, expected);
            RemoveUpload(repository, uuid);
        }
        finally
        {
            session.Gate.Release();
        }
    }

    public void CancelUpload(string repository, string uuid)
    {
        var session = Session(repository, uuid);
        session.Gate.Wait();
        try
        {
            UploadSize(repository, uuid);
            RemoveUpload(repository, uuid);
        }
        finally
        {
            session.Gate.Release();
        }
    }

    // Only uploads that exist get a session, so requests naming random uuids cannot grow the map.
    private UploadSession Session(string repository, string uuid)
    {
        UploadSize(repository, uuid);
        return _sessions.GetOrAdd(repository + "/" + uuid, _ => new UploadSession());
    }

    // Caller holds the session's gate. The session object stays in the map only while the upload exists; a request
    // still holding it finds the upload gone (UploadSize throws) when it next takes the gate.
    private void RemoveUpload(string repository, string uuid)
    {
        driver.Delete(StoragePaths.UploadStartedAt(repository, uuid));
        driver.Delete(StoragePaths.UploadDirectory(repository, uuid));
        _sessions.TryRemove(repository + "/" + uuid, out _);
    }

    private async Task AppendObjectAsync(string source, string destination, CancellationToken ct)
    {
        var reader = driver.OpenRead(source) ?? throw new RegistryException(RegistryErrorCode.BlobUploadUnknown);
        await using (reader.ConfigureAwait(false))
        {
            var writer = driver.CreateWriter(destination, append: true);
            await using (writer.ConfigureAwait(false))
            {
                var buffer = new byte[1024 * 1024];
                int read;
                while ((read = await reader.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                    await writer.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                await writer.CommitAsync(ct).ConfigureAwait(false);
            }
        }
    }

    // ---- manifests ----

    /// <summary>Stores a manifest after checking that everything it references is in the repository; tags it when
    /// <paramref name="reference"/> is a tag. Returns its digest and parsed form.</summary>
    public (Digest Digest, ManifestDocument Document) PutManifest(string repository, string reference, byte[] body, string? contentType)
    {
        var digest = Digest.Compute(body);
        string? tag = null;
        if (RegistryNames.LooksLikeDigest(reference))
        {
            var named = RegistryNames.ParseDigest(reference);
            if (named != digest) throw new RegistryException(RegistryErrorCode.DigestInvalid, "manifest digest did not match the reference", $"expected {named}, got {digest}");
        }
        else
        {
            tag = RegistryNames.ValidateTag(reference);
        }
        var document = ManifestDocument.Parse(body, contentType);
        foreach (var blob in document.Blobs)
        {
            if (BlobSize(repository, blob) is null)
                throw new RegistryException(RegistryErrorCode.ManifestBlobUnknown, "blob unknown to registry", blob.Value);
        }
        foreach (var child in document.Children)
        {
            if (driver.Stat(StoragePaths.RevisionLink(repository, child)) is null)
                throw new RegistryException(RegistryErrorCode.ManifestBlobUnknown, "manifest unknown to registry", child.Value);
        }
        if (driver.Stat(StoragePaths.Blob(digest)) is null) driver.PutContent(StoragePaths.Blob(digest), body);
        driver.PutContent(StoragePaths.RevisionMediaType(repository, digest), Encoding.UTF8.GetBytes(document.MediaType));
        driver.PutContent(StoragePaths.RevisionLink(repository, digest), Encoding.ASCII.GetBytes(digest.Value));
        if (tag is not null) driver.PutContent(StoragePaths.TagLink(repository, tag), Encoding.ASCII.GetBytes(digest.Value));
        return (digest, document);
    }

    /// <summary>Resolves a tag or digest to the manifest digest in this repository, or throws MANIFEST_UNKNOWN. A reference
    /// that is no valid tag or digest names nothing stored: also MANIFEST_UNKNOWN (404), as the distribution registry
    /// answers a GET or HEAD of one (it falls back to a tag lookup that finds nothing); only a PUT validates the grammar.</summary>
    public Digest ResolveManifest(string repository, string reference)
    {
        if (RegistryNames.LooksLikeDigest(reference))
        {
            if (!Digest.TryParse(reference, out var digest)) throw ManifestUnknown(reference);
            return driver.Stat(StoragePaths.RevisionLink(repository, digest)) is not null ? digest : throw ManifestUnknown(reference);
        }
        if (!RegistryNames.IsTag(reference)) throw ManifestUnknown(reference);
        var link = driver.GetContent(StoragePaths.TagLink(repository, reference));
        return link is not null && Digest.TryParse(Encoding.ASCII.GetString(link).Trim(), out var tagged) ? tagged : throw ManifestUnknown(reference);
    }

    public (byte[] Body, string MediaType, Digest Digest) GetManifest(string repository, string reference)
    {
        var digest = ResolveManifest(repository, reference);
        var body = driver.GetContent(StoragePaths.Blob(digest)) ?? throw ManifestUnknown(reference);
        var mediaType = driver.GetContent(StoragePaths.RevisionMediaType(repository, digest)) is { } stored
            ? Encoding.UTF8.GetString(stored)
            : ManifestDocument.Parse(body, null).MediaType;
        return (body, mediaType, digest);
    }

    /// <summary>Deleting by digest removes the manifest and every tag pointing at it; deleting by tag removes the tag.</summary>
    public void DeleteManifest(string repository, string reference)
    {
        var digest = ResolveManifest(repository, reference);
        if (!RegistryNames.LooksLikeDigest(reference))
        {
            driver.Delete(StoragePaths.TagDirectory(repository, reference));
            return;
        }
        foreach (var tag in Tags(repository) ?? [])
        {
            if (ResolveManifest(repository, tag) == digest) driver.Delete(StoragePaths.TagDirectory(repository, tag));
        }
        driver.Delete(StoragePaths.RevisionDirectory(repository, digest));
    }

    public IReadOnlyList<Digest> ManifestRevisions(string repository) =>
        driver.List(StoragePaths.RevisionsRoot(repository))
            .Select(p => Digest.TryParse("sha256:" + StoragePaths.LastSegment(p), out var d) ? d : (Digest?)null)
            .OfType<Digest>()
            .ToList();

    // ---- tags and repositories ----

    /// <summary>Tags sorted lexically, or null when the repository does not exist.</summary>
    public IReadOnlyList<string>? Tags(string repository)
    {
        if (driver.Stat(StoragePaths.Repository(repository)) is null) return null;
        return driver.List(StoragePaths.TagsRoot(repository))
            .Select(StoragePaths.LastSegment)
            .Where(tag => driver.Stat(StoragePaths.TagLink(repository, tag)) is not null)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every repository name (a directory with _manifests or _layers under repositories/), sorted.</summary>
    public IReadOnlyList<string> Repositories()
    {
        var found = new List<string>();
        var pending = new Stack<string>();
        pending.Push(StoragePaths.RepositoriesRoot);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var child in driver.List(directory))
            {
                var name = StoragePaths.LastSegment(child);
                if (name is "_manifests" or "_layers" or "_uploads")
                {
                    if (name == "_manifests") found.Add(directory[(StoragePaths.RepositoriesRoot.Length + 1)..]);
                    continue;
                }
                if (driver.Stat(child) is { IsDirectory: true }) pending.Push(child);
            }
        }
        return found.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    private static RegistryException ManifestUnknown(string reference) =>
        new(RegistryErrorCode.ManifestUnknown, "manifest unknown", reference);
}
