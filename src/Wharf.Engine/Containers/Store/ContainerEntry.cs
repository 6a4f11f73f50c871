using System.Collections.Concurrent;

namespace Wharf.Engine.Containers.Store;

/// <summary>One container in the store: its live record plus the runtime bookkeeping that is not persisted. The live
/// <see cref="Record"/> is changed only with <see cref="Gate"/> held, and each change becomes visible to readers
/// when <see cref="ContainerStore.Persist"/> (or <see cref="ContainerStore.Publish"/>) replaces
/// <see cref="Snapshot"/>.</summary>
internal sealed class ContainerEntry(ContainerRecord record)
{
    private volatile ContainerSnapshot? _snapshot;

    /// <summary>The live record: lifecycle code only, with <see cref="Gate"/> held to change it.</summary>
    public ContainerRecord Record { get; } = record;
    /// <summary>What readers see: the last published version; null until the record is first committed (a
    /// container still being created is not listed).</summary>
    public ContainerSnapshot? Snapshot
    {
        get => _snapshot;
        set => _snapshot = value;
    }
    /// <summary>Serialises lifecycle operations on this container (start, stop, exit, remove, update…) and every
    /// change to <see cref="Record"/>.</summary>
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
