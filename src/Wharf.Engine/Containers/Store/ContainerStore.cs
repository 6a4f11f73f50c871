using System.Security.Cryptography;
using Wharf.Core.Errors;
using Wharf.Engine.Containers.Naming;
using Wharf.Engine.Storage;

namespace Wharf.Engine.Containers.Store;

/// <summary>Every container record of the daemon: the id and name indexes, each container's gate and its file on
/// disk. Look-ups take the short global lock only; lifecycle operations on one container hold its
/// <see cref="ContainerEntry.Gate"/>. This is the one place that knows where records live.
/// <para>Two kinds of access, told apart by their types: readers (ps, inspect, filters, events, DNS, compose…) get
/// <see cref="ContainerSnapshot"/>s from the public <see cref="List"/>, <see cref="Get"/> and <see cref="TryGet"/>;
/// lifecycle code gets the live record through the internal <see cref="ContainerEntry"/> (<see cref="Find"/>,
/// <see cref="TryFind"/>, <see cref="Where"/>), changes it with the entry's gate held and commits the change with
/// <see cref="Persist"/>, which publishes the new snapshot. The work is done at write time (writes are rare), so a
/// read copies nothing.</para></summary>
public sealed class ContainerStore
{
    private static readonly NameGenerator Names = new();
    private readonly EngineOptions _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ContainerEntry> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _idByName = new(StringComparer.Ordinal);
    private long _version;
    /// <summary>Every published snapshot, newest first; rebuilt at the first read after a change, under the lock.</summary>
    private IReadOnlyList<ContainerSnapshot>? _listed;

    public ContainerStore(EngineOptions options)
    {
        _options = options;
        Directory.CreateDirectory(Path.Combine(options.DataRoot, "containers"));
        Directory.CreateDirectory(Path.Combine(options.ExecRoot, "containers"));
    }

    /// <summary>Where records live: data-root/containers/&lt;id&gt;/config.v2.json.</summary>
    public string RecordsRoot => Path.Combine(_options.DataRoot, "containers");

    /// <summary>Every container as last committed, newest first. The list and its snapshots never change; a container
    /// still being created is not in it.</summary>
    public IReadOnlyList<ContainerSnapshot> List()
    {
        lock (_gate)
        {
            return _listed ??= _byId.Values.Select(e => e.Snapshot).OfType<ContainerSnapshot>()
                .OrderByDescending(s => s.Created).ToList().AsReadOnly();
        }
    }

    /// <summary>Resolves a full id, a name (with or without '/') or a unique id prefix, as Docker does, to the
    /// container's current snapshot.</summary>
    public ContainerSnapshot Get(string nameOrId) =>
        TryGet(nameOrId, out var snapshot) ? snapshot : throw EngineException.NoSuchContainer(nameOrId);

    public bool TryGet(string nameOrId, out ContainerSnapshot snapshot)
    {
        if (TryFind(nameOrId, out var entry) && entry.Snapshot is { } published) { snapshot = published; return true; }
        snapshot = null!;
        return false;
    }

    /// <summary>True when any container (running or not) was created from the image.</summary>
    public bool IsImageInUse(string imageId)
    {
        // ImageId is set before the entry is added and never changes: the live record may be read here.
        lock (_gate) return _byId.Values.Any(e => e.Record.ImageId == imageId);
    }

    public ContainerPaths PathsOf(ContainerRecord record) => PathsOf(record.Id);

    public ContainerPaths PathsOf(ContainerSnapshot snapshot) => PathsOf(snapshot.Id);

    public ContainerPaths PathsOf(string containerId) => new(_options.DataRoot, _options.ExecRoot, containerId);

    /// <summary>Commits a change to a live record, with its entry's gate held: the new snapshot is published (readers
    /// see the whole change at once) and the same bytes are written to the record's file atomically (a crash leaves
    /// the old or the new one, never half). The snapshot is published even if the write fails: memory is then right
    /// and the file behind, until the next commit writes it again.</summary>
    internal void Persist(ContainerRecord record)
    {
        var bytes = ContainerSnapshot.Serialize(record);
        if (TryEntryOf(record, out var entry)) PublishBytes(entry, bytes);
        AtomicFile.Write(PathsOf(record).RecordFile, bytes);
    }

    /// <summary>Commits a change that is not written to disk (a health probe's log, a run's in-memory bookkeeping),
    /// with the entry's gate held: readers see it from now on.</summary>
    internal void Publish(ContainerRecord record)
    {
        if (TryEntryOf(record, out var entry)) PublishBytes(entry, ContainerSnapshot.Serialize(record));
    }

    private bool TryEntryOf(ContainerRecord record, out ContainerEntry entry)
    {
        lock (_gate)
        {
            // A record already forgotten (a create that failed, a removal) has nothing to publish to.
            if (!_byId.TryGetValue(record.Id, out entry!) || !ReferenceEquals(entry.Record, record)) return false;
        }
        if (entry.Gate.CurrentCount != 0)
            throw new InvalidOperationException($"container {record.Id}: a change was committed without the container's gate held");
        return true;
    }

    private void PublishBytes(ContainerEntry entry, byte[] bytes)
    {
        var snapshot = ContainerSnapshot.FromCommitted(bytes, Interlocked.Increment(ref _version));
        lock (_gate)
        {
            entry.Snapshot = snapshot;
            _listed = null;
        }
    }

    internal ContainerEntry Find(string nameOrId)
    {
        lock (_gate)
        {
            return TryFindLocked(nameOrId, out var entry) ? entry : throw EngineException.NoSuchContainer(nameOrId);
        }
    }

    internal bool TryFind(string nameOrId, out ContainerEntry entry)
    {
        lock (_gate) return TryFindLocked(nameOrId, out entry);
    }

    /// <summary>The entries matching <paramref name="predicate"/>, read under the global lock.</summary>
    internal IReadOnlyList<ContainerEntry> Where(Func<ContainerEntry, bool> predicate)
    {
        lock (_gate) return _byId.Values.Where(predicate).ToList();
    }

    /// <summary>Adds a new record under its wanted name (Docker's conflict error when taken) or a generated one.</summary>
    internal ContainerEntry Add(ContainerRecord record, string? wantedName)
    {
        lock (_gate)
        {
            record.Name = wantedName is { Length: > 0 } wanted ? ClaimNameLocked(ContainerNames.Normalize(wanted), record.Id) : ClaimGeneratedNameLocked(record.Id);
            var entry = new ContainerEntry(record);
            _byId[record.Id] = entry;
            return entry;
        }
    }

    /// <summary>A record read back at daemon start.</summary>
    internal ContainerEntry Restore(ContainerRecord record)
    {
        var entry = new ContainerEntry(record)
        {
            Snapshot = ContainerSnapshot.FromCommitted(ContainerSnapshot.Serialize(record), Interlocked.Increment(ref _version)),
        };
        lock (_gate)
        {
            _listed = null;
            _byId[record.Id] = entry;
            _idByName[record.Name] = record.Id;
        }
        return entry;
    }

    internal void Forget(ContainerRecord record)
    {
        lock (_gate)
        {
            _byId.Remove(record.Id);
            _idByName.Remove(record.Name);
            _listed = null;
        }
    }

    /// <summary>docker rename's index part, with the entry's gate held: claims the new name, frees the old one and
    /// changes the live record (the caller commits it). Returns the old name.</summary>
    internal string Rename(ContainerRecord record, string normalizedName)
    {
        lock (_gate)
        {
            var oldName = record.Name;
            if (oldName == normalizedName)
                throw EngineException.Invalid($"Renaming a container with the same name as its current name");
            ClaimNameLocked(normalizedName, record.Id);
            _idByName.Remove(oldName);
            record.Name = normalizedName;
            return oldName;
        }
    }

    /// <summary>Hands out the waiter of the current run and installs a fresh one for the next: waits sent before an
    /// exit complete with it, later ones wait for the next run.</summary>
    internal TaskCompletionSource<WaitResult> TakeNextExitWaiter(ContainerEntry entry)
    {
        lock (_gate)
        {
            var waiter = entry.NextExit;
            entry.NextExit = ContainerEntry.NewWaiter<WaitResult>();
            return waiter;
        }
    }

    /// <summary>The wait task for <paramref name="condition"/>, chosen under the lock so that an exit recorded at the
    /// same moment cannot slip between the state check and the choice of waiter.</summary>
    internal Task<WaitResult> WaitTask(ContainerEntry entry, WaitCondition condition, CancellationToken ct)
    {
        lock (_gate)
        {
            return condition switch
            {
                WaitCondition.Removed => entry.Removed.Task.WaitAsync(ct),
                WaitCondition.NextExit => entry.NextExit.Task.WaitAsync(ct),
                _ when !entry.Record.State.Running => Task.FromResult(new WaitResult(entry.Record.State.ExitCode)),
                _ => entry.NextExit.Task.WaitAsync(ct),
            };
        }
    }

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private bool TryFindLocked(string nameOrId, out ContainerEntry entry)
    {
        entry = null!;
        if (string.IsNullOrEmpty(nameOrId)) return false;
        if (_byId.TryGetValue(nameOrId, out entry!)) return true;
        if (_idByName.TryGetValue(nameOrId.TrimStart('/'), out var id)) { entry = _byId[id]; return true; }
        var matches = _byId.Keys.Where(k => k.StartsWith(nameOrId, StringComparison.Ordinal)).Take(2).ToList();
        if (matches.Count > 1)
            throw EngineException.Invalid($"multiple IDs found with provided prefix: {nameOrId}");
        if (matches.Count == 1) { entry = _byId[matches[0]]; return true; }
        return false;
    }

    private string ClaimNameLocked(string name, string id)
    {
        if (_idByName.TryGetValue(name, out var holder))
            throw EngineException.Conflict($"Conflict. The container name \"/{name}\" is already in use by container \"{holder}\". You have to remove (or rename) that container to be able to reuse that name.");
        _idByName[name] = id;
        return name;
    }

    private string ClaimGeneratedNameLocked(string id)
    {
        var name = Names.Generate(candidate => _idByName.ContainsKey(candidate));
        _idByName[name] = id;
        return name;
    }
}
