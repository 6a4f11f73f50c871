namespace Wharf.Registry.Storage;

/// <summary>The filesystem driver's twin for tests and throwaway registries: objects are byte arrays in a sorted
/// dictionary, directories are implied by the paths under them. One lock makes every operation atomic.</summary>
public sealed class InMemoryStorageDriver : IStorageDriver
{
    private readonly object _gate = new();
    private readonly SortedDictionary<string, (byte[] Data, DateTimeOffset ModifiedAt)> _objects = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public InMemoryStorageDriver(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public byte[]? GetContent(string path)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(Normalize(path), out var entry) ? entry.Data.ToArray() : null;
        }
    }

    public void PutContent(string path, ReadOnlySpan<byte> content)
    {
        var copy = content.ToArray();
        lock (_gate)
        {
            _objects[Normalize(path)] = (copy, _time.GetUtcNow());
        }
    }

    public Stream? OpenRead(string path, long offset = 0)
    {
        var data = GetContent(path);
        if (data is null) return null;
        var stream = new MemoryStream(data, writable: false);
        stream.Position = Math.Min(offset, data.Length);
        return stream;
    }

    public IStorageWriter CreateWriter(string path, bool append)
    {
        var key = Normalize(path);
        var existing = append ? GetContent(key) ?? [] : [];
        var buffer = new MemoryStream();
        buffer.Write(existing);
        // Writes become visible as they happen, as on a filesystem, so an upload's status reports its progress.
        lock (_gate)
        {
            _objects[key] = (existing, _time.GetUtcNow());
        }
        return new MemoryWriter(this, key, buffer);
    }

    public StorageEntry? Stat(string path)
    {
        var key = Normalize(path);
        lock (_gate)
        {
            if (_objects.TryGetValue(key, out var entry)) return new StorageEntry(key, entry.Data.LongLength, false, entry.ModifiedAt);
            var prefix = key.Length == 0 ? "" : key + "/";
            var newest = _objects.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(o => o.Value.ModifiedAt).DefaultIfEmpty().Max();
            return newest == default ? null : new StorageEntry(key, 0, true, newest);
        }
    }

    public IReadOnlyList<string> List(string path)
    {
        var key = Normalize(path);
        var prefix = key.Length == 0 ? "" : key + "/";
        lock (_gate)
        {
            return _objects.Keys
                .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
                .Select(k => prefix + k[prefix.Length..].Split('/')[0])
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
    }

    public void Move(string sourcePath, string destinationPath)
    {
        lock (_gate)
        {
            var source = Normalize(sourcePath);
            if (!_objects.Remove(source, out var entry)) throw new FileNotFoundException("storage object not found", sourcePath);
            _objects[Normalize(destinationPath)] = entry;
        }
    }

    public void Delete(string path)
    {
        var key = Normalize(path);
        var prefix = key + "/";
        lock (_gate)
        {
            _objects.Remove(key);
            foreach (var child in _objects.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList()) _objects.Remove(child);
        }
    }

    public string? LocalFilePath(string path) => null;

    private static string Normalize(string path)
    {
        if (path.Contains("..", StringComparison.Ordinal)) throw new ArgumentException($"invalid storage path {path}", nameof(path));
        return path.Trim('/');
    }

    private void Store(string key, MemoryStream buffer)
    {
        lock (_gate)
        {
            _objects[key] = (buffer.ToArray(), _time.GetUtcNow());
        }
    }

    private void Remove(string key)
    {
        lock (_gate)
        {
            _objects.Remove(key);
        }
    }

    private sealed class MemoryWriter(InMemoryStorageDriver owner, string key, MemoryStream buffer) : IStorageWriter
    {
        private bool _cancelled;

        public long Size => buffer.Length;

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
        {
            buffer.Write(data.Span);
            return ValueTask.CompletedTask;
        }

        public ValueTask CommitAsync(CancellationToken ct)
        {
            owner.Store(key, buffer);
            return ValueTask.CompletedTask;
        }

        public void Cancel()
        {
            _cancelled = true;
            owner.Remove(key);
        }

        public ValueTask DisposeAsync()
        {
            if (!_cancelled) owner.Store(key, buffer);
            return ValueTask.CompletedTask;
        }
    }
}
