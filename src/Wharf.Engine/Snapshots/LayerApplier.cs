using System.Formats.Tar;
using System.Text;
using Wharf.Core.Errors;

namespace Wharf.Engine.Snapshots;

/// <summary>Extracts one layer tar into a directory with our own rules (never TarFile.ExtractToDirectory): keeps
/// modes incl. setuid/setgid/sticky, ownership, mtimes, xattrs, links and special files, turns ".wh." whiteouts into
/// the overlay representation, and rejects entries that would escape the root ("..", absolute paths, symlinked
/// parents, hard links to outside). It writes into <c>root</c> as it goes: callers that need all-or-nothing extract
/// into a temporary directory (the snapshotter does).</summary>
public sealed class LayerApplier(IFileSystemOps fileSystem)
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueWhiteout = ".wh..wh..opq";
    private const string XattrPaxPrefix = "SCHILY.xattr.";

    /// <summary>Applies <paramref name="tar"/> (uncompressed) onto <paramref name="root"/>. With
    /// <paramref name="hasParent"/> whiteouts become 0:0 character devices / opaque xattrs for overlayfs; in a base
    /// layer there is nothing below to hide, so they only delete what this same layer created.</summary>
    public LayerApplyResult Apply(Stream tar, string root, bool hasParent)
    {
        using var hashing = new HashingReadStream(tar);
        var extraction = new Extraction(Path.GetFullPath(root), hasParent, fileSystem);
        try
        {
            using (var reader = new TarReader(hashing, leaveOpen: true))
            {
                while (reader.GetNextEntry() is { } entry) extraction.Apply(entry);
            }
            extraction.FinishDirectories();
            return new LayerApplyResult(hashing.DrainAndDigest(), extraction.Size, extraction.Skipped);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw EngineException.Invalid($"invalid tar archive: {e.Message}");
        }
    }

    /// <summary>docker cp's extraction of <paramref name="tar"/> into the directory <paramref name="root"/>: the
    /// same safety rules as a layer, no digest (nobody needs one, and hashing costs a pass over every byte), plus
    /// <see cref="ExtractionOptions"/>' refusals and owner override. Returns the bytes of regular files written.</summary>
    public long Extract(Stream tar, string root, ExtractionOptions options)
    {
        ArgumentNullException.ThrowIfNull(tar);
        ArgumentNullException.ThrowIfNull(options);
        var extraction = new Extraction(Path.GetFullPath(root), hasParent: false, fileSystem) { Options = options };
        try
        {
            using (var reader = new TarReader(tar, leaveOpen: true))
            {
                while (reader.GetNextEntry() is { } entry) extraction.Apply(entry);
            }
            extraction.FinishDirectories();
            // The end-of-archive padding: read it so the sender is not cut off mid-request.
            var rest = new byte[16 * 1024];
            while (tar.Read(rest) > 0)
            {
            }
            return extraction.Size;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw EngineException.Invalid($"invalid tar archive: {e.Message}");
        }
    }

    /// <summary>State of one extraction run.</summary>
    private sealed class Extraction(string root, bool hasParent, IFileSystemOps fs)
    {
        // Relative directory paths already checked to be real directories (not symlinks) during this run.
        private readonly HashSet<string> _verifiedDirectories = new(StringComparer.Ordinal);
        // Directory mode and mtime are applied last: a 0555 directory must still accept its children, and writing
        // children would bump the mtime again.
        private readonly Dictionary<string, (UnixFileMode Mode, DateTimeOffset Mtime)> _deferredDirectories = new(StringComparer.Ordinal);

        public long Size { get; private set; }
        public int Skipped { get; private set; }
        public ExtractionOptions? Options { get; init; }

        private int Uid(TarEntry entry) => Options?.Owner is { } owner ? owner.Uid : entry.Uid;
        private int Gid(TarEntry entry) => Options?.Owner is { } owner ? owner.Gid : entry.Gid;

        public void Apply(TarEntry entry)
        {
            var parts = SafeParts(Relative(entry.Name), entry.Name);
            if (parts.Length == 0)
            {
                if (entry.EntryType != TarEntryType.Directory) throw Reject(entry.Name, "the layer root must be a directory");
                fs.Lchown(root, Uid(entry), Gid(entry));
                _deferredDirectories[""] = (entry.Mode, entry.ModificationTime);
                return;
            }
            var name = parts[^1];
            var relative = string.Join('/', parts);
            var parent = EnsureParentDirectories(parts, entry.Name);
            var path = Path.Combine(parent, name);

            // Whiteouts exist in image layers only. docker cp (Options set) writes such a name literally, as Docker
            // does: otherwise a tar sent to a container (or copied out of one into another) deletes files by name.
            if (Options is null && name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                ApplyWhiteout(parent, string.Join('/', parts[..^1]), name, entry.Name);
                return;
            }

            if (Options is { NoOverwriteDirNonDir: true }) RefuseDirNonDirSwap(path, parts, entry);

            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    if (!RemoveExisting(path, relative, keepDirectory: true))
                    {
                        UnixFiles.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                    }
                    _verifiedDirectories.Add(relative);
                    fs.Lchown(path, Uid(entry), Gid(entry));
                    SetXattrs(path, entry);
                    _deferredDirectories[relative] = (entry.Mode, entry.ModificationTime);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    RemoveExisting(path, relative, keepDirectory: false);
                    WriteFile(path, entry);
                    Size += entry.Length;
                    SetOwnerModeTime(path, entry);
                    break;
                case TarEntryType.SymbolicLink:
                    if (string.IsNullOrEmpty(entry.LinkName)) throw Reject(entry.Name, "symlink without a target");
                    RemoveExisting(path, relative, keepDirectory: false);
                    // The target is stored verbatim: it is only ever resolved inside the container's root.
                    File.CreateSymbolicLink(path, entry.LinkName);
                    fs.Lchown(path, Uid(entry), Gid(entry));
                    SetXattrs(path, entry);
                    break;
                case TarEntryType.HardLink:
                    CreateHardLink(path, relative, entry);
                    break;
                case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                    CreateSpecialFile(path, relative, entry);
                    break;
                default:
                    // Sparse files, multi-volume and vendor extensions: not part of image layers in practice.
                    Skipped++;
                    break;
            }
        }

        /// <summary>docker cp's noOverwriteDirNonDir: checked before anything at the path is touched, so a
        /// refused entry changes nothing (entries before it in the same archive stay written, as with Docker).
        /// Like Docker, the message names the entry and the directory extracted into.</summary>
        private void RefuseDirNonDirSwap(string path, string[] parts, TarEntry entry)
        {
            var existing = new DirectoryInfo(path);
            var existingIsDirectory = existing.LinkTarget is null && existing.Exists;
            var existingIsOther = !existingIsDirectory && (existing.LinkTarget is not null || File.Exists(path));
            var entryIsDirectory = entry.EntryType == TarEntryType.Directory;
            if (existingIsDirectory == entryIsDirectory || (!existingIsDirectory && !existingIsOther)) return;
            // Docker's wording, with the paths as the container sees them.
            var displayRoot = Options?.DisplayRoot.TrimEnd('/') ?? "";
            var target = displayRoot + "/" + string.Join('/', parts);
            var directory = displayRoot.Length == 0 ? "/" : displayRoot;
            throw EngineException.Invalid(existingIsDirectory
                ? $"cannot overwrite directory \"{target}\" with non-directory \"{directory}\""
                : $"cannot overwrite non-directory \"{target}\" with directory \"{directory}\"");
        }

        public void FinishDirectories()
        {
            // Deepest first, so setting a parent's mtime is the last thing that touches it.
            foreach (var (relative, (mode, mtime)) in _deferredDirectories.OrderByDescending(d => d.Key.Count(c => c == '/') + (d.Key.Length == 0 ? -1 : 0)))
            {
                var path = relative.Length == 0 ? root : Path.Combine(root, relative);
                var info = new DirectoryInfo(path);
                if (info.LinkTarget is not null || !info.Exists) continue;
                UnixFiles.SetMode(path, mode);
                SetMtime(path, mtime);
            }
        }

        private void ApplyWhiteout(string parent, string parentRelative, string name, string entryName)
        {
            if (name == OpaqueWhiteout)
            {
                if (!hasParent) return;
                try
                {
                    fs.SetXattr(parent, "trusted.overlay.opaque", "y"u8);
                }
                catch (NotSupportedException e)
                {
                    throw new EngineException(ErrorKind.NotImplemented, $"cannot apply opaque directory \"{entryName}\": {e.Message}");
                }
                return;
            }
            var victim = name[WhiteoutPrefix.Length..];
            if (victim.Length == 0 || victim is "." or ".." || victim.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                throw Reject(entryName, "invalid whiteout");
            }
            var victimPath = Path.Combine(parent, victim);
            var victimRelative = parentRelative.Length == 0 ? victim : parentRelative + "/" + victim;
            RemoveExisting(victimPath, victimRelative, keepDirectory: false);
            if (!hasParent) return;
            try
            {
                // overlayfs' own whiteout: a 0:0 character device hides the name in the layers below.
                fs.Mknod(victimPath, SpecialFileKind.CharacterDevice, 0, 0, 0);
            }
            catch (NotSupportedException e)
            {
                throw new EngineException(ErrorKind.NotImplemented, $"cannot apply whiteout \"{entryName}\": {e.Message}");
            }
        }

        private void CreateHardLink(string path, string relative, TarEntry entry)
        {
            var targetParts = SafeParts(Relative(entry.LinkName), entry.Name);
            if (targetParts.Length == 0) throw Reject(entry.Name, "hard link to the layer root");
            var target = Path.Combine(root, Path.Combine(targetParts));
            CheckExistingParents(targetParts, entry.Name);
            var targetInfo = new FileInfo(target);
            if (targetInfo.LinkTarget is null && !targetInfo.Exists)
            {
                throw Reject(entry.Name, $"hard link target \"{entry.LinkName}\" does not exist or is a directory");
            }
            if (string.Equals(target, path, StringComparison.Ordinal)) return;
            RemoveExisting(path, relative, keepDirectory: false);
            try
            {
                fs.Link(target, path);
            }
            catch (NotSupportedException)
            {
                // Without link(2) keep the content (and the symlink-ness) but not the shared inode.
                if (targetInfo.LinkTarget is { } linkTarget)
                {
                    File.CreateSymbolicLink(path, linkTarget);
                }
                else
                {
                    File.Copy(target, path);
                    UnixFiles.SetMode(path, UnixFiles.GetMode(target));
                    File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(target));
                }
            }
        }

        private void CreateSpecialFile(string path, string relative, TarEntry entry)
        {
            var kind = entry.EntryType switch
            {
                TarEntryType.CharacterDevice => SpecialFileKind.CharacterDevice,
                TarEntryType.BlockDevice => SpecialFileKind.BlockDevice,
                _ => SpecialFileKind.Fifo,
            };
            var (major, minor) = entry is PosixTarEntry posix ? (posix.DeviceMajor, posix.DeviceMinor) : (0, 0);
            RemoveExisting(path, relative, keepDirectory: false);
            try
            {
                fs.Mknod(path, kind, entry.Mode, major, minor);
            }
            catch (NotSupportedException)
            {
                Skipped++;
                return;
            }
            SetOwnerModeTime(path, entry);
        }

        private static void WriteFile(string path, TarEntry entry)
        {
            using var file = UnixFiles.CreatePrivateFile(path, entry.Length);
            // One buffer as large as the file (up to 1 MiB): fewer, larger reads of the archive and writes to disk
            // than CopyTo's 80 KiB default, which matters for docker cp of big files.
            entry.DataStream?.CopyTo(file, (int)Math.Clamp(entry.Length, 4096, 1024 * 1024));
        }

        private void SetOwnerModeTime(string path, TarEntry entry)
        {
            // chown before chmod: chown clears setuid/setgid bits.
            fs.Lchown(path, Uid(entry), Gid(entry));
            UnixFiles.SetMode(path, entry.Mode);
            SetXattrs(path, entry);
            SetMtime(path, entry.ModificationTime);
        }

        private void SetXattrs(string path, TarEntry entry)
        {
            if (entry is not PaxTarEntry pax) return;
            foreach (var (key, value) in pax.ExtendedAttributes)
            {
                if (!key.StartsWith(XattrPaxPrefix, StringComparison.Ordinal)) continue;
                try
                {
                    fs.SetXattr(path, key[XattrPaxPrefix.Length..], Encoding.UTF8.GetBytes(value));
                }
                catch (NotSupportedException)
                {
                    // Best effort without the Linux file operations (capabilities are lost).
                }
            }
        }

        private static void SetMtime(string path, DateTimeOffset mtime)
        {
            try
            {
                File.SetLastWriteTimeUtc(path, mtime.UtcDateTime);
            }
            catch (ArgumentOutOfRangeException)
            {
                // Timestamps the platform cannot represent keep the extraction time.
            }
        }

        /// <summary>Creates missing parents (0755) and rejects any existing parent that is a symlink or not a
        /// directory, so no later write can be redirected outside the root. Returns the parent's full path.</summary>
        private string EnsureParentDirectories(string[] parts, string entryName)
        {
            var current = root;
            var relative = "";
            for (var i = 0; i < parts.Length - 1; i++)
            {
                current = Path.Combine(current, parts[i]);
                relative = i == 0 ? parts[i] : relative + "/" + parts[i];
                if (_verifiedDirectories.Contains(relative)) continue;
                var info = new DirectoryInfo(current);
                if (info.LinkTarget is not null) throw Reject(entryName, $"parent \"{relative}\" is a symlink");
                if (!info.Exists)
                {
                    if (File.Exists(current)) throw Reject(entryName, $"parent \"{relative}\" is not a directory");
                    UnixFiles.CreateDirectory(current, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
                }
                _verifiedDirectories.Add(relative);
            }
            return current;
        }

        private void CheckExistingParents(string[] parts, string entryName)
        {
            var current = root;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                current = Path.Combine(current, parts[i]);
                var info = new DirectoryInfo(current);
                if (info.LinkTarget is not null || !info.Exists) throw Reject(entryName, "hard link target escapes the layer root");
            }
        }

        /// <summary>Removes whatever is at <paramref name="path"/> without following symlinks. Returns true when an
        /// existing directory was kept (a directory entry over a directory merges).</summary>
        private bool RemoveExisting(string path, string relative, bool keepDirectory)
        {
            var info = new DirectoryInfo(path);
            if (info.LinkTarget is not null)
            {
                File.Delete(path);
                return false;
            }
            if (info.Exists)
            {
                if (keepDirectory) return true;
                DirectoryTree.ForceDelete(path);
                _verifiedDirectories.RemoveWhere(d => d == relative || d.StartsWith(relative + "/", StringComparison.Ordinal));
                foreach (var key in _deferredDirectories.Keys.Where(d => d == relative || d.StartsWith(relative + "/", StringComparison.Ordinal)).ToList())
                {
                    _deferredDirectories.Remove(key);
                }
                return false;
            }
            File.Delete(path);
            return false;
        }

        private string Relative(string name) =>
            Options is { AbsoluteNamesAreRelative: true } ? name.TrimStart('/') : name;

        /// <summary>Splits an archive path into safe components: no absolute paths, no "..", "." and empty parts
        /// dropped (so "./a//b/" is "a/b").</summary>
        private static string[] SafeParts(string name, string entryName)
        {
            if (name.StartsWith('/')) throw Reject(entryName, "absolute path");
            var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
            if (parts.Contains("..")) throw Reject(entryName, "path escapes the layer root");
            if (parts.Any(p => p.Contains('\0', StringComparison.Ordinal))) throw Reject(entryName, "NUL in path");
            return parts;
        }

        private static EngineException Reject(string entryName, string reason) =>
            EngineException.Invalid($"invalid tar entry \"{entryName}\": {reason}");
    }
}
