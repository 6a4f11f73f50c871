namespace Wharf.Registry.Storage;

/// <summary>The narrow, path-keyed object store the registry keeps everything in. Paths are '/'-separated and
/// relative to the driver's root ("blobs/sha256/ab/abcd.../data"). Every operation that makes content visible
/// (<see cref="PutContent"/>, <see cref="Move"/>, <see cref="IStorageWriter.Commit"/>) is atomic: a reader sees
/// the old state or the new one, never a partial file.</summary>
public interface IStorageDriver
{
    /// <summary>The whole content of a small object, or null when it does not exist.</summary>
    byte[]? GetContent(string path);

    /// <summary>Replaces the object with <paramref name="content"/> atomically, creating parents.</summary>
    void PutContent(string path, ReadOnlySpan<byte> content);

    /// <summary>A readable stream positioned at <paramref name="offset"/>, or null when the object does not exist.</summary>
    Stream? OpenRead(string path, long offset = 0);

    /// <summary>A writer that appends to (or, without <paramref name="append"/>, truncates) the object.</summary>
    IStorageWriter CreateWriter(string path, bool append);

    /// <summary>Size and kind of a path, or null when nothing is there.</summary>
    StorageEntry? Stat(string path);

    /// <summary>The direct children of a directory as full paths, sorted ordinally; empty when it does not exist.</summary>
    IReadOnlyList<string> List(string path);

    /// <summary>Renames an object atomically, replacing the destination.</summary>
    void Move(string sourcePath, string destinationPath);

    /// <summary>Deletes an object or a whole directory tree; a missing path is not an error.</summary>
    void Delete(string path);

    /// <summary>The local file behind an object when the driver has one (lets the server send it with
    /// zero-copy sendfile), else null.</summary>
    string? LocalFilePath(string path);
}
