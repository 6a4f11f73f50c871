using System.Text;

namespace Wharf.Engine.Layers;

/// <summary>Turns directories back into layer tars. <see cref="WriteLayer"/> reads an overlay upper directory and
/// writes Docker's whiteout convention (0:0 char devices become ".wh.&lt;name&gt;", the trusted.overlay.opaque
/// xattr becomes ".wh..wh..opq"); <see cref="WriteTree"/> writes a plain tree (docker export of a merged rootfs);
/// <see cref="Changes"/> is docker diff. Output is deterministic: entries in ordinal name order, mtimes in whole
/// seconds, our own tar writer, so the same tree always gives the same digest.</summary>
public sealed class LayerDiffer(IFileInspector inspector)
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private const string OpaqueXattr = "trusted.overlay.opaque";
    private const string OverlayXattrPrefix = "trusted.overlay.";

    /// <summary>How deep the recursive walk goes. A container can nest directories without bound (relative mkdir and
    /// cd), and a walk that followed would exhaust its thread's stack, which ends the daemon; real trees stay far below
    /// this (a path of PATH_MAX characters holds at most 2,048 levels, and images hold nothing near that).</summary>
    public const int MaxDepth = 1024;

    /// <summary>Mount targets the runtime creates in the writable layer when the image lacks them. Docker keeps these
    /// in a separate init layer, so they never show in diff or commit; here they are skipped while still empty.</summary>
    private static readonly HashSet<string> MountStubs = new(StringComparer.Ordinal)
    {
        "etc/hostname", "etc/hosts", "etc/resolv.conf", "etc/mtab", ".dockerenv",
        "dev", "proc", "sys", "dev/pts", "dev/shm", "dev/mqueue", "dev/console", "sys/fs/cgroup",
    };

    /// <summary>Writes the overlay upper directory <paramref name="upperDir"/> as a layer tar. Directories that only
    /// exist in the upper dir because something below them changed (overlay copies them up) are kept only when they
    /// have content or their owner/mode changed relative to <paramref name="lowerDirsTopFirst"/>.</summary>
    public LayerWriteResult WriteLayer(string upperDir, IReadOnlyList<string> lowerDirsTopFirst, Stream output)
    {
        var items = Collect(upperDir, "", new Lowers(lowerDirsTopFirst, inspector), diffMode: true);
        return Write(items, output);
    }

    /// <summary>Writes every file under <paramref name="root"/> (not the root itself) as a tar.</summary>
    public LayerWriteResult WriteTree(string root, Stream output)
    {
        var items = Collect(root, "", new Lowers([], inspector), diffMode: false);
        return Write(items, output);
    }

    /// <summary>docker diff: what the upper directory adds, changes and deletes relative to the lower layers, sorted
    /// by path.</summary>
    /// <remarks>The upper directory is the writable layer of a container that may be running and changing it (there is
    /// no pause for a diff, as in Docker): the walk holds each directory it lists by a descriptor and descends only
    /// into what opens as a directory without following a symlink, so a directory swapped for a link to a host
    /// directory mid-walk shows as the link it has become, never as the host directory's content.</remarks>
    public IReadOnlyList<FileChange> Changes(string upperDir, IReadOnlyList<string> lowerDirsTopFirst)
    {
        var items = Collect(upperDir, "", new Lowers(lowerDirsTopFirst, inspector), diffMode: true, pinned: true);
        return items
            .Select(i => new FileChange("/" + i.Relative, i.Whiteout ? ChangeKind.Deleted : i.InLower ? ChangeKind.Modified : ChangeKind.Added))
            .OrderBy(c => c.Path, StringComparer.Ordinal)
            .ToList();
    }

    /// <param name="pinned">Hold each directory by a descriptor while listing it (see <see cref="Changes"/>). The
    /// items' <see cref="Item.FullPath"/> then named entries under a pin that is gone once the walk is over, so they
    /// are left empty: a pinned walk is for names and metadata, never for reading content afterwards.</param>
    private List<Item> Collect(string directory, string relativeDirectory, Lowers lowers, bool diffMode, bool pinned = false, int depth = 0)
    {
        if (depth > MaxDepth)
            throw Core.Errors.EngineException.Invalid($"directories are nested more than {MaxDepth} levels deep at /{relativeDirectory}: too deep to walk");
        var result = new List<Item>();
        using var pin = pinned ? inspector.PinDirectory(directory) : null;
        if (pinned && pin is null) return result; // gone, or no longer a directory (a symlink now): nothing under it
        var at = pin?.Path ?? directory;
        IEnumerable<string> names;
        try
        {
            names = Directory.EnumerateFileSystemEntries(at).Select(Path.GetFileName).OfType<string>()
                .Order(StringComparer.Ordinal).ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return result;
        }
        foreach (var name in names)
        {
            var full = Path.Combine(at, name);
            var kept = pinned ? "" : full;
            var relative = relativeDirectory.Length == 0 ? name : relativeDirectory + "/" + name;
            if (inspector.LStat(full) is not { } stat) continue; // vanished meanwhile
            if (stat.Type == FileStat.Socket) continue; // sockets cannot be archived
            if (diffMode && stat.IsOverlayWhiteout)
            {
                result.Add(new Item(relative, kept, stat, [], Whiteout: true, Opaque: false, InLower: true));
                continue;
            }
            var xattrs = inspector.ListXattrs(full);
            if (stat.IsDirectory)
            {
                var opaque = diffMode && xattrs.Any(x => x.Key == OpaqueXattr && x.Value.AsSpan().SequenceEqual("y"u8));
                var children = Collect(full, relative, lowers, diffMode, pinned, depth + 1);
                if (diffMode && children.Count == 0 && MountStubs.Contains(relative)) continue;
                var lower = diffMode ? lowers.Find(relative) : null;
                var unchanged = lower is { IsDirectory: true } l && l.Permissions == stat.Permissions && l.Uid == stat.Uid && l.Gid == stat.Gid;
                if (diffMode && unchanged && !opaque && children.Count == 0) continue;
                result.Add(new Item(relative, kept, stat, Clean(xattrs), Whiteout: false, opaque, InLower: lower is not null));
                result.AddRange(children);
                continue;
            }
            if (diffMode && stat.Type == FileStat.Regular && stat.Size == 0 && MountStubs.Contains(relative)) continue;
            result.Add(new Item(relative, kept, stat, Clean(xattrs), Whiteout: false, Opaque: false,
                InLower: diffMode && lowers.Find(relative) is not null));
        }
        return result;
    }

    private static List<KeyValuePair<string, byte[]>> Clean(IReadOnlyList<KeyValuePair<string, byte[]>> xattrs) =>
        xattrs.Where(x => !x.Key.StartsWith(OverlayXattrPrefix, StringComparison.Ordinal)).OrderBy(x => x.Key, StringComparer.Ordinal).ToList();

    private static LayerWriteResult Write(List<Item> items, Stream output)
    {
        var tar = new TarStreamWriter(output);
        var firstPathOfInode = new Dictionary<ulong, string>();
        long bytes = 0;
        var entries = 0;
        foreach (var item in items)
        {
            var s = item.Stat;
            var mtime = s.ModificationTime.ToUnixTimeSeconds();
            entries++;
            if (item.Whiteout)
            {
                var slash = item.Relative.LastIndexOf('/');
                var name = slash < 0 ? WhiteoutPrefix + item.Relative : item.Relative[..(slash + 1)] + WhiteoutPrefix + item.Relative[(slash + 1)..];
                tar.Write(new TarRecord('0', name, 0x180, s.Uid, s.Gid, 0, mtime));
                continue;
            }
            switch (s.Type)
            {
                case FileStat.Directory:
                    tar.Write(new TarRecord('5', item.Relative + "/", s.Permissions, s.Uid, s.Gid, 0, mtime, Xattrs: item.Xattrs));
                    if (item.Opaque)
                    {
                        tar.Write(new TarRecord('0', item.Relative + "/" + OpaqueMarker, s.Permissions & 0x1FF, s.Uid, s.Gid, 0, mtime));
                        entries++;
                    }
                    break;
                case FileStat.Regular:
                    if (s.LinkCount > 1 && s.Inode != 0)
                    {
                        if (firstPathOfInode.TryGetValue(s.Inode, out var first))
                        {
                            tar.Write(new TarRecord('1', item.Relative, s.Permissions, s.Uid, s.Gid, 0, mtime, LinkName: first, Xattrs: item.Xattrs));
                            break;
                        }
                        firstPathOfInode[s.Inode] = item.Relative;
                    }
                    using (var content = new FileStream(item.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan))
                    {
                        tar.Write(new TarRecord('0', item.Relative, s.Permissions, s.Uid, s.Gid, s.Size, mtime, Xattrs: item.Xattrs), content);
                    }
                    bytes += s.Size;
                    break;
                case FileStat.Symlink:
                    var target = new FileInfo(item.FullPath).LinkTarget ?? "";
                    tar.Write(new TarRecord('2', item.Relative, s.Permissions, s.Uid, s.Gid, 0, mtime, LinkName: target, Xattrs: item.Xattrs));
                    break;
                case FileStat.CharacterDevice or FileStat.BlockDevice:
                    tar.Write(new TarRecord(s.Type == FileStat.CharacterDevice ? '3' : '4', item.Relative, s.Permissions, s.Uid, s.Gid, 0, mtime,
                        DevMajor: s.RdevMajor, DevMinor: s.RdevMinor, Xattrs: item.Xattrs));
                    break;
                case FileStat.Fifo:
                    tar.Write(new TarRecord('6', item.Relative, s.Permissions, s.Uid, s.Gid, 0, mtime, Xattrs: item.Xattrs));
                    break;
                default:
                    entries--;
                    break;
            }
        }
        tar.Finish();
        return new LayerWriteResult(entries, bytes);
    }

    private sealed record Item(string Relative, string FullPath, FileStat Stat, IReadOnlyList<KeyValuePair<string, byte[]>> Xattrs,
        bool Whiteout, bool Opaque, bool InLower);

    /// <summary>Looks names up through the read-only layers the way overlayfs resolves them: the topmost layer that
    /// has the name wins, a whiteout hides it, an opaque directory hides everything below it, and so does a
    /// non-directory in a parent's place. Every parent is checked to be a real directory (lstat, cached) before a
    /// name under it is looked at, so a symlink an image put in a layer is never followed out of that layer.</summary>
    private sealed class Lowers(IReadOnlyList<string> topFirst, IFileInspector inspector)
    {
        private readonly Dictionary<string, Parent> _parents = new(StringComparer.Ordinal);

        private enum Parent
        {
            Missing,
            Directory,
            OpaqueDirectory,
            NotADirectory,
        }

        public FileStat? Find(string relative)
        {
            var parts = relative.Split('/');
            foreach (var layer in topFirst)
            {
                var opaque = false;
                var missing = false;
                var prefix = new StringBuilder();
                for (var i = 0; i < parts.Length - 1 && !missing; i++)
                {
                    if (i > 0) prefix.Append('/');
                    prefix.Append(parts[i]);
                    switch (ParentIn(Path.Combine(layer, prefix.ToString())))
                    {
                        case Parent.NotADirectory: return null; // a file, link or whiteout here hides the name below
                        case Parent.Missing: missing = true; break;
                        case Parent.OpaqueDirectory: opaque = true; break;
                    }
                }
                if (!missing && inspector.LStat(Path.Combine(layer, relative)) is { } stat) return stat.IsOverlayWhiteout ? null : stat;
                if (opaque) return null;
            }
            return null;
        }

        private Parent ParentIn(string path)
        {
            if (_parents.TryGetValue(path, out var known)) return known;
            var kind = inspector.LStat(path) switch
            {
                null => Parent.Missing,
                { IsDirectory: false } => Parent.NotADirectory,
                _ => inspector.ListXattrs(path).Any(x => x.Key == OpaqueXattr && x.Value.AsSpan().SequenceEqual("y"u8))
                    ? Parent.OpaqueDirectory
                    : Parent.Directory,
            };
            _parents[path] = kind;
            return kind;
        }
    }
}
