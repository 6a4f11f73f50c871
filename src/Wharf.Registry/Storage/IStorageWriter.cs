namespace Wharf.Registry.Storage;

/// <summary>An open append-only write to one storage object. Data written is durable after <see cref="Commit"/>;
/// <see cref="Cancel"/> removes the object. Disposing without either keeps what was written (an upload
/// continues in the next request).</summary>
public interface IStorageWriter : IAsyncDisposable
{
    /// <summary>The object's size including everything written so far.</summary>
    long Size { get; }

    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct);

    /// <summary>Flushes everything to stable storage.</summary>
    ValueTask CommitAsync(CancellationToken ct);

    /// <summary>Abandons the write and deletes the object.</summary>
    void Cancel();
}
