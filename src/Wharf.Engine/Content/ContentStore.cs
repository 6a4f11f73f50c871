using Wharf.Core;
using Wharf.Core.Errors;

namespace Wharf.Engine.Content;

/// <summary>Content-addressed blob store under <c>content/</c>: blobs live at <c>blobs/sha256/&lt;hex&gt;</c>, partial
/// writes go to <c>ingest/</c> and only become visible through an atomic rename after their digest (and size, when
/// known) has been verified, so a reader never sees a half-written or corrupt blob.</summary>
public sealed class ContentStore
{
    private readonly string _blobDir;
    private readonly string _ingestDir;

    public ContentStore(string dataRoot)
    {
        var root = Path.Combine(dataRoot, "content");
        _blobDir = Path.Combine(root, "blobs", "sha256");
        _ingestDir = Path.Combine(root, "ingest");
        Directory.CreateDirectory(_blobDir);
        Directory.CreateDirectory(_ingestDir);
    }

    public string BlobPath(Digest digest) => Path.Combine(_blobDir, digest.Hex);

    public bool Exists(Digest digest) => File.Exists(BlobPath(digest));

    public long Size(Digest digest)
    {
        var info = new FileInfo(BlobPath(digest));
        return info.Exists ? info.Length : throw BlobNotFound(digest);
    }

    public Stream OpenRead(Digest digest)
    {
        try
        {
            return new FileStream(BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            throw BlobNotFound(digest);
        }
    }

    public byte[] ReadAllBytes(Digest digest)
    {
        try
        {
            return File.ReadAllBytes(BlobPath(digest));
        }
        catch (FileNotFoundException)
        {
            throw BlobNotFound(digest);
        }
    }

    /// <summary>Starts a partial write in the ingest directory; dispose without commit to abandon it.</summary>
    public ContentWriter BeginWrite() =>
        new(Path.Combine(_ingestDir, Guid.NewGuid().ToString("N")), this);

    /// <summary>Stores <paramref name="data"/> and returns its digest (no-op when the blob already exists).</summary>
    public Digest Write(ReadOnlySpan<byte> data)
    {
        using var writer = BeginWrite();
        writer.Write(data);
        return writer.Commit();
    }

    /// <summary>Copies <paramref name="source"/> into the store, verifying it against <paramref name="expected"/>
    /// and <paramref name="expectedSize"/> when given.</summary>
    public async Task<Digest> WriteAsync(Stream source, Digest? expected, long? expectedSize, CancellationToken ct)
    {
        using var writer = BeginWrite();
        await source.CopyToAsync(writer, ct).ConfigureAwait(false);
        return writer.Commit(expected, expectedSize);
    }

    /// <summary>Removes a blob; missing is not an error.</summary>
    public void Delete(Digest digest) => File.Delete(BlobPath(digest));

    public IEnumerable<Digest> List()
    {
        foreach (var file in Directory.EnumerateFiles(_blobDir))
        {
            if (Digest.TryParse("sha256:" + Path.GetFileName(file), out var digest)) yield return digest;
        }
    }

    /// <summary>Moves an already written file (on the same file system, e.g. a <see cref="CreateScratchDirectory"/>
    /// member) into the store after the caller verified that it hashes to <paramref name="digest"/>.</summary>
    public void Adopt(string file, Digest digest) => Publish(file, digest);

    /// <summary>A private directory beside the ingest area for multi-file work (docker load unpacks archives there);
    /// the caller deletes it.</summary>
    public string CreateScratchDirectory()
    {
        var path = Path.Combine(_ingestDir, "scratch-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    internal void Publish(string ingestPath, Digest digest)
    {
        var target = BlobPath(digest);
        if (File.Exists(target))
        {
            // Same digest means same bytes: keep the existing blob, which readers may already hold open.
            File.Delete(ingestPath);
            return;
        }
        File.Move(ingestPath, target, overwrite: true);
    }

    private static EngineException BlobNotFound(Digest digest) => EngineException.NotFound($"content {digest} not found");
}
