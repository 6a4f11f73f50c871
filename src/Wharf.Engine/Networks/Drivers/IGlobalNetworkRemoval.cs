namespace Wharf.Engine.Networks.Drivers;

/// <summary>A removal of a global network begun by <see cref="IGlobalNetworkDriver.BeginRemovalAsync"/>: either
/// committed (every key of the network leaves the store in one transaction) or aborted (the network stays, joins are
/// accepted again). Disposing without committing aborts.</summary>
public interface IGlobalNetworkRemoval : IAsyncDisposable
{
    /// <summary>Deletes the network from the store in one step. Throws (the network then stays whole in the store,
    /// and the removal is aborted by disposing) when the store cannot be reached or the removal's mark was lost.</summary>
    ValueTask CommitAsync(CancellationToken ct);
}
