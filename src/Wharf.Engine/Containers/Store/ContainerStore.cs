using System.Security.Cryptography;
using System.Text.Json;
using Wharf.Core.Errors;
using Wharf.Engine.Containers.Naming;
using Wharf.Engine.Storage;

namespace Wharf.Engine.Containers.Store;

/// <summary>Every container record of the daemon: the id and name indexes, each container's gate and its file on
/// disk. Look-ups take the short global lock only; lifecycle operations on one container hold its
/// <see cref="ContainerEntry.Gate"/>. This is the one place that knows where records live.</summary>
public sealed class ContainerStore
{
    private static readonly NameGenerator Names = new();
    private readonly EngineOptions _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ContainerEntry> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _idByName = new(StringComparer.Ordinal);

    public ContainerStore(EngineOptions options)
    {
        _options = options;
        Directory.CreateDirectory(Path.Combine(options.DataRoot, "containers"));
        Directory.CreateDirectory(Path.Combine(options.ExecRoot, "containers"));
    }

    /// <summary>Where records live: data-root/containers/&lt;id&gt;/config.v2.json.</summary>
    public string RecordsRoot => Path.Combine(_options.DataRoot, "containers");

    /// <summary>Every record, newest first.</summary>
    public IReadOnlyList<ContainerRecord> List()
    {
        lock (_gate) return _byId.Values.Select(e => e.Record).OrderByDescending(r => r.Created).ToList();
    }

    /// <summary>Resolves a full id, a name (with or without '/') or a unique id prefix, as Docker does.</summary>
    public ContainerRecord Get(string nameOrId) => Find(nameOrId).Record;

    public bool TryGet(string nameOrId, out ContainerRecord record)
    {
        if (TryFind(nameOrId, out var entry)) { record = entry.Record; return true; }
        record = null!;
        return false;
    }

    /// <summary>True when any container (running or not) was created from the image.</summary>
    public bool IsImageInUse(string imageId)
    {
        lock (_gate) return _byId.Values.Any(e => e.Record.ImageId == imageId);
    }

    public ContainerPaths PathsOf(ContainerRecord record) => new(_options.DataRoot, _options.ExecRoot, record.Id);

    /// <summary>Writes the record's file atomically (a crash leaves the old or the new one, never half).</summary>
    public void Persist(ContainerRecord record)
    {
        var paths = PathsOf(record);
        AtomicFile.Write(paths.RecordFile, JsonSerializer.SerializeToUtf8Bytes(record, EngineJsonContext.Default.ContainerRecord));
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
        var entry = new ContainerEntry(record);
        lock (_gate)
        {
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
        }
    }

    /// <summary>docker rename's index part: claims the new name, frees the old one. Returns the old name.</summary>
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
