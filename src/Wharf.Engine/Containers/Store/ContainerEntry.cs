using System.Collections.Concurrent;

namespace Wharf.Engine.Containers.Store;

/// <summary>One container in the store: its record plus the runtime bookkeeping that is not persisted.</summary>
internal sealed class ContainerEntry(ContainerRecord record)
{
    public ContainerRecord Record { get; } = record;
    /// <summary>Serialises lifecycle operations on this container (start, stop, exit, remove, update…).</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);
    /// <summary>Completed with the next exit; replaced by a fresh one at every exit (see <see cref="ContainerStore.TakeNextExitWaiter"/>).</summary>
    public TaskCompletionSource<WaitResult> NextExit { get; set; } = NewWaiter<WaitResult>();
    public TaskCompletionSource<WaitResult> Removed { get; } = NewWaiter<WaitResult>();
    public ConcurrentQueue<PendingAttach> PendingAttaches { get; } = new();
    public bool RemovalInProgress { get; set; }
    /// <summary>docker rm -v: the anonymous volumes go with the container.</summary>
    public bool RemoveVolumes { get; set; }

    /// <summary>Continuations run asynchronously: a waiter completed under a lock must not run its caller there.</summary>
    public static TaskCompletionSource<T> NewWaiter<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
