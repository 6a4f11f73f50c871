namespace Wharf.Registry.Storage;

/// <summary>What <see cref="IStorageDriver.Stat"/> reports about a path.</summary>
public sealed record StorageEntry(string Path, long Size, bool IsDirectory, DateTimeOffset ModifiedAt);
