namespace Wharf.Registry.Storage;

/// <summary>Stores objects as files under a root directory. Atomic replacement is a write to a temporary file
/// beside the target followed by fsync and rename(2).</summary>
public sealed class FileSystemStorageDriver : IStorageDriver
{
    private const string TempSuffix = ".tmp-";
    private readonly string _root;

    public FileSystemStorageDriver(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public byte[]? GetContent(string path)
    {
        try
        {
            return File.ReadAllBytes(Full(path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void PutContent(string path, ReadOnlySpan<byte> content)
    {
        var target = Full(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = target + TempSuffix + Guid.NewGuid().ToString("N");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(content);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Stream? OpenRead(string path, long offset = 0)
    {
        try
        {
            var stream = new FileStream(Full(path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, FileOptions.Asynchronous);
            if (offset > 0) stream.Seek(offset, SeekOrigin.Begin);
            return stream;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public IStorageWriter CreateWriter(string path, bool append)
    {
        var target = Full(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // Plain synchronous writes of the request's big buffers: on Linux "asynchronous" file I/O is a thread-pool hop
        // per write, which costs more than the page-cache copy it wraps.
        var stream = new FileStream(target, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read, 0, FileOptions.None);
        return new FileWriter(stream, target);
    }

    public StorageEntry? Stat(string path)
    {
        var full = Full(path);
        var file = new FileInfo(full);
        if (file.Exists) return new StorageEntry(path, file.Length, false, file.LastWriteTimeUtc);
        var directory = new DirectoryInfo(full);
        return directory.Exists ? new StorageEntry(path, 0, true, directory.LastWriteTimeUtc) : null;
    }

    public IReadOnlyList<string> List(string path)
    {
        var full = Full(path);
        if (!Directory.Exists(full)) return [];
        var prefix = path.TrimEnd('/');
        return Directory.EnumerateFileSystemEntries(full)
            .Select(Path.GetFileName)
            .Where(name => name is not null && !name.Contains(TempSuffix, StringComparison.Ordinal))
            .Select(name => prefix.Length == 0 ? name! : prefix + "/" + name)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public void Move(string sourcePath, string destinationPath)
    {
        var source = Full(sourcePath);
        var destination = Full(destinationPath);
        if (!File.Exists(source)) throw new FileNotFoundException("storage object not found", sourcePath);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        File.Move(source, destination, overwrite: true);
    }

    public void Delete(string path)
    {
        var full = Full(path);
        if (File.Exists(full))
        {
            File.Delete(full);
        }
        else if (Directory.Exists(full))
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    Directory.Delete(full, recursive: true);
                    return;
                }
                catch (DirectoryNotFoundException)
                {
                    return; // someone else removed it first: the goal is reached
                }
                catch (IOException) when (attempt < 3)
                {
                    // A file appeared while the tree was being emptied (ENOTEMPTY), e.g. a chunk a late request
                    // started receiving into an upload being completed: empty it again.
                }
            }
        }
    }

    public string? LocalFilePath(string path)
    {
        var full = Full(path);
        return File.Exists(full) ? full : null;
    }

    private string Full(string path)
    {
        if (path.Contains("..", StringComparison.Ordinal)) throw new ArgumentException($"invalid storage path {path}", nameof(path));
        return Path.Combine(_root, path.TrimStart('/'));
    }

    private sealed class FileWriter(FileStream stream, string path) : IStorageWriter
    {
        public long Size => stream.Length;

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct) => stream.WriteAsync(data, ct);

        public async ValueTask CommitAsync(CancellationToken ct)
        {
            // Upload data is not fsynced (as with the Distribution registry): forcing every chunk of a multi-gigabyte
            // push to disk made pushes disk-bound. Nothing refers to the bytes until the upload completes, a crash
            // loses at most an upload in flight, and every reader verifies blob digests.
            await stream.FlushAsync(ct).ConfigureAwait(false);
        }

        public void Cancel()
        {
            stream.Dispose();
            File.Delete(path);
        }

        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }
}
