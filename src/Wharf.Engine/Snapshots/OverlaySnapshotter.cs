using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Engine.Content;
using Wharf.Engine.Images;
using Wharf.Engine.Metadata;
using Wharf.Engine.Storage;

namespace Wharf.Engine.Snapshots;

/// <summary>Overlay snapshots keyed by chain id: each image layer is extracted once into
/// <c>snapshots/&lt;chain-hex&gt;/fs</c> (read-only lower dir) and containers get
/// <c>snapshots/containers/&lt;key&gt;/{upper,work}</c>. It decides mounts and returns them as data; it never
/// mounts anything itself.</summary>
public sealed class OverlaySnapshotter
{
    private const string FsDirectory = "fs";
    private const string InfoFile = "snapshot.json";
    private const string TempPrefix = ".tmp-";
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly string _root;
    private readonly string _containersRoot;
    private readonly ContentStore _content;
    private readonly LayerApplier _applier;

    public OverlaySnapshotter(string dataRoot) : this(dataRoot, new ManagedFileSystemOps())
    {
    }

    public OverlaySnapshotter(string dataRoot, IFileSystemOps fileSystem)
    {
        _root = Path.Combine(Path.GetFullPath(dataRoot), "snapshots");
        _containersRoot = Path.Combine(_root, "containers");
        Directory.CreateDirectory(_containersRoot);
        _content = new ContentStore(dataRoot);
        _applier = new LayerApplier(fileSystem);
        Inspector = fileSystem as Layers.IFileInspector ?? new Layers.ManagedFileInspector();
        RemoveLeftoverTemporaries();
    }

    /// <summary>Reads layer directories back (diff, commit, export): the Linux file operations when the daemon wired
    /// them, else the managed fallback.</summary>
    public Layers.IFileInspector Inspector { get; }

    /// <summary>The read-only lower directories of an image's layers, topmost first (overlay's lowerdir order).</summary>
    public IReadOnlyList<string> LowerPaths(IReadOnlyList<Digest> diffIds) =>
        ChainId.Compute(diffIds).Reverse().Select(LayerPath).ToList();

    /// <summary>The unpacked size of the one layer at the top of <paramref name="chainId"/>, 0 when unknown.</summary>
    public long LayerSize(Digest chainId) => ReadInfo(Path.Combine(_root, chainId.Hex))?.Size ?? 0;

    /// <summary>The extracted (lower) directory of a layer stack.</summary>
    public string LayerPath(Digest chainId) => Path.Combine(_root, chainId.Hex, FsDirectory);

    public bool HasLayer(Digest chainId) => File.Exists(Path.Combine(_root, chainId.Hex, InfoFile));

    /// <summary>Replays the layers <paramref name="diffIds"/>[<paramref name="from"/>..] onto the empty directory
    /// <paramref name="target"/> in order, leaving there what one overlay upper directory over the layers below
    /// <paramref name="from"/> would hold, whiteouts and opaque directories included (docker build --squash's one
    /// layer). Each layer's tar passes through <paramref name="scratchFile"/>, which is deleted afterwards.</summary>
    public void ReplayLayers(IReadOnlyList<Digest> diffIds, int from, string target, string scratchFile)
    {
        var chain = ChainId.Compute(diffIds);
        var differ = new Layers.LayerDiffer(Inspector);
        try
        {
            for (var i = from; i < chain.Count; i++)
            {
                using var tar = new FileStream(scratchFile, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
                differ.WriteLayer(LayerPath(chain[i]), chain.Take(i).Reverse().Select(LayerPath).ToList(), tar);
                tar.Position = 0;
                // Over a parent, a whiteout must stay to hide the parent's file; over nothing it only deletes.
                _applier.Apply(tar, target, hasParent: from > 0);
            }
        }
        finally
        {
            File.Delete(scratchFile);
        }
    }

    /// <summary>The container's writable layer (overlay upperdir): what docker diff/commit/export read.</summary>
    public string UpperPath(string key) => Path.Combine(ContainerDirectory(key), "upper");

    public IReadOnlyList<Digest> ListLayers() =>
        Directory.EnumerateDirectories(_root)
            .Select(d => Digest.TryParse("sha256:" + Path.GetFileName(d), out var id) ? id : (Digest?)null)
            .OfType<Digest>()
            .Where(HasLayer)
            .ToList();

    /// <summary>Makes sure every layer is extracted, extracting missing ones from the content store (layer blobs are
    /// stored uncompressed, so a layer's blob digest is its diff id). Returns the total unpacked size.</summary>
    public long EnsureLayers(IReadOnlyList<Digest> diffIds)
    {
        var chain = ChainId.Compute(diffIds);
        long total = 0;
        for (var i = 0; i < chain.Count; i++)
        {
            total += EnsureLayer(chain[i], diffIds[i], i == 0 ? null : chain[i - 1]);
        }
        return total;
    }

    /// <summary>Ensures the image's layers, creates the container's upper/work directories and returns the overlay
    /// mount for its rootfs at <paramref name="target"/> (lowerdir lists the top layer first).</summary>
    public Mount PrepareContainerLayer(string key, ImageRecord image, string target)
    {
        var diffIds = image.DiffIds;
        EnsureLayers(diffIds);
        var directory = ContainerDirectory(key);
        var upper = Path.Combine(directory, "upper");
        var work = Path.Combine(directory, "work");
        UnixFiles.CreateDirectory(upper, DirectoryMode);
        UnixFiles.CreateDirectory(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        IEnumerable<string> lowers = ChainId.Compute(diffIds).Reverse().Select(LayerPath).ToList();
        if (diffIds.Count == 0)
        {
            // overlayfs needs at least one lower dir; an image without layers gets an empty one.
            var empty = Path.Combine(directory, "empty");
            UnixFiles.CreateDirectory(empty, DirectoryMode);
            lowers = [empty];
        }
        return new Mount("overlay", "overlay", target,
            [$"lowerdir={string.Join(':', lowers)}", $"upperdir={upper}", $"workdir={work}"]);
    }

    /// <summary>Deletes the container's upper and work directories; missing is fine.</summary>
    public void RemoveContainerLayer(string key)
    {
        var directory = ContainerDirectory(key);
        if (Directory.Exists(directory)) DirectoryTree.ForceDelete(directory);
    }

    /// <summary>Deletes an extracted layer; missing is fine. Callers make sure no image or container needs it.</summary>
    public void RemoveLayer(Digest chainId)
    {
        var directory = Path.Combine(_root, chainId.Hex);
        if (Directory.Exists(directory)) DirectoryTree.ForceDelete(directory);
    }

    private long EnsureLayer(Digest chainId, Digest diffId, Digest? parent)
    {
        var directory = Path.Combine(_root, chainId.Hex);
        if (ReadInfo(directory) is { } existing) return existing.Size;

        // Extract beside the final place and rename at the end: a rejected or interrupted archive leaves nothing.
        var temp = Path.Combine(_root, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            var fs = Path.Combine(temp, FsDirectory);
            UnixFiles.CreateDirectory(fs, DirectoryMode);
            LayerApplyResult result;
            using (var blob = _content.OpenRead(diffId))
            {
                result = _applier.Apply(blob, fs, hasParent: parent is not null);
            }
            if (result.DiffId != diffId)
            {
                throw EngineException.Invalid($"layer content {result.DiffId} does not match diff id {diffId}");
            }
            var info = new SnapshotInfo(chainId.Value, diffId.Value, parent?.Value, result.Size);
            AtomicFile.Write(Path.Combine(temp, InfoFile), JsonSerializer.SerializeToUtf8Bytes(info, MetadataJsonContext.Default.SnapshotInfo));
            try
            {
                Directory.Move(temp, directory);
            }
            catch (IOException) when (HasLayer(chainId))
            {
                // Someone else extracted the same layer concurrently; theirs is identical.
            }
            return result.Size;
        }
        finally
        {
            if (Directory.Exists(temp)) DirectoryTree.ForceDelete(temp);
        }
    }

    private static SnapshotInfo? ReadInfo(string directory)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(directory, InfoFile)), MetadataJsonContext.Default.SnapshotInfo);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private string ContainerDirectory(string key)
    {
        if (string.IsNullOrEmpty(key) || key is "." or ".." || key.Contains('/', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal))
        {
            throw EngineException.Invalid($"invalid snapshot key \"{key}\"");
        }
        return Path.Combine(_containersRoot, key);
    }

    private void RemoveLeftoverTemporaries()
    {
        foreach (var directory in Directory.EnumerateDirectories(_root, TempPrefix + "*"))
        {
            DirectoryTree.ForceDelete(directory);
        }
    }
}
