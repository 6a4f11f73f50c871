using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Engine.Containers.Filters;
using Wharf.Engine.Snapshots;
using Wharf.Engine.Storage;

namespace Wharf.Engine.Volumes;

/// <summary>Volumes of the local driver (Docker's layout: data-root/volumes/&lt;name&gt;/_data plus a metadata
/// document beside it) and, through <see cref="IVolumePluginClient"/>, volumes of plugins. Local volumes with
/// <c>type/device/o</c> options are mounted on their first user and unmounted when the last one stops.</summary>
public sealed class VolumeService
{
    public const string LocalDriver = "local";
    private const string DataDirectory = "_data";
    private const string MetadataFile = "volume.json";
    private static readonly string[] LocalOptionKeys = ["type", "device", "o"];

    private readonly string _root;
    private readonly IMountOps _mounts;
    private readonly Layers.IFileInspector _inspector;
    // Null: device options must name block devices (image files need a loop device, which only the host has).
    private readonly ILoopDevices? _loops;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, VolumeRecord> _byName = new(StringComparer.Ordinal);
    // Containers currently running with the volume mounted: drives mount-at-first-use / unmount-at-last-stop.
    private readonly Dictionary<string, HashSet<string>> _activeUsers = new(StringComparer.Ordinal);
    private IVolumeUsers? _users;

    /// <param name="inspector">Reads volume trees for their sizes (by descriptors: a container may swap a directory of
    /// its volume for a symlink mid-walk); without one, the managed fallback that does not pin.</param>
    public VolumeService(string dataRoot, IMountOps mounts, TimeProvider time, IVolumePluginClient? plugins = null, ILoopDevices? loops = null,
        Layers.IFileInspector? inspector = null)
    {
        _root = Path.Combine(Path.GetFullPath(dataRoot), "volumes");
        _mounts = mounts;
        _inspector = inspector ?? new Layers.ManagedFileInspector();
        _loops = loops;
        _time = time;
        Plugins = plugins;
        Directory.CreateDirectory(_root);
        Load();
    }

    /// <summary>Talks to volume plugins; null when plugins are not wired (then only "local" exists).</summary>
    public IVolumePluginClient? Plugins { get; }

    /// <summary>Set once by the container service, which knows which containers reference which volume.</summary>
    public void AttachUsers(IVolumeUsers users) => _users = users;

    public string VolumesRoot => _root;

    /// <summary>docker volume create (and the implicit creation of <c>-v name:/path</c>). An existing volume of the
    /// same driver is returned as it is, like Docker.</summary>
    public VolumeRecord Create(string? name, string? driver, IReadOnlyDictionary<string, string>? options, IReadOnlyDictionary<string, string>? labels)
    {
        var driverGiven = !string.IsNullOrEmpty(driver);
        driver = driverGiven ? driver! : LocalDriver;
        var anonymous = string.IsNullOrEmpty(name);
        name = anonymous ? VolumeNames.NewAnonymous() : name!;
        if (driver == LocalDriver) VolumeNames.Validate(name);
        else VolumeNames.ValidateAnyDriver(name);
        lock (_gate)
        {
            if (_byName.TryGetValue(name, out var existing))
            {
                if (existing.Driver != driver)
                    throw EngineException.Conflict($"create {name}: volume name {name} already in use with driver {existing.Driver}");
                return existing;
            }
        }
        // As Docker: with no driver named, a volume a plugin already has (one this daemon has not listed yet) is
        // used rather than shadowed by a new local one.
        if (!driverGiven && !anonymous && FindInPlugins(name) is { } pluginVolume) return pluginVolume;
        var record = new VolumeRecord
        {
            Name = name,
            Driver = driver,
            CreatedAt = _time.GetUtcNow(),
            Labels = labels is null ? new(StringComparer.Ordinal) : new(labels, StringComparer.Ordinal),
            Options = options is null ? new(StringComparer.Ordinal) : new(options, StringComparer.Ordinal),
        };
        // As Docker 23+: a volume created without a name is anonymous, so a plain `volume prune` removes it.
        if (anonymous) record.Labels.TryAdd(VolumeRecord.AnonymousLabel, "");
        var directory = Path.Combine(_root, name);
        if (driver == LocalDriver)
        {
            foreach (var key in record.Options.Keys)
                if (!LocalOptionKeys.Contains(key)) throw EngineException.Invalid($"create {name}: invalid option key: \"{key}\"");
            if (record.Options.ContainsKey("type") != record.Options.ContainsKey("device") && !record.Options.ContainsKey("o"))
                throw EngineException.Invalid($"create {name}: local volume options need both \"type\" and \"device\"");
            record.Mountpoint = Path.Combine(directory, DataDirectory);
            Directory.CreateDirectory(record.Mountpoint);
        }
        else
        {
            var plugins = Plugins ?? throw EngineException.NotFound($"create {name}: error looking up volume plugin {driver}: plugin \"{driver}\" not found");
            plugins.Create(driver, name, record.Options);
            record.Mountpoint = "";
            Directory.CreateDirectory(directory);
        }
        AtomicFile.Write(Path.Combine(directory, MetadataFile), JsonSerializer.SerializeToUtf8Bytes(record, VolumeJsonContext.Default.VolumeRecord));
        lock (_gate) _byName[name] = record;
        return record;
    }

    /// <summary>A known volume, else (like Docker on a fresh daemon) the first plugin whose /VolumeDriver.Get
    /// has it, which makes it known from then on.</summary>
    public VolumeRecord Get(string name)
    {
        lock (_gate)
        {
            if (_byName.TryGetValue(name, out var record)) return record;
        }
        return FindInPlugins(name) ?? throw EngineException.NotFound($"get {name}: no such volume");
    }

    public bool TryGet(string name, out VolumeRecord record)
    {
        lock (_gate) return _byName.TryGetValue(name, out record!);
    }

    /// <summary>Volumes matching Docker's list filters: dangling, label (key or key=value), name (substring), driver.</summary>
    public IReadOnlyList<VolumeRecord> List(FilterSet filters) => List(filters, warnings: null);

    /// <summary><see cref="List(FilterSet)"/> including the volumes plugins list (/VolumeDriver.List) that this
    /// daemon has not seen yet; a plugin that fails adds a line to <paramref name="warnings"/> instead.</summary>
    public IReadOnlyList<VolumeRecord> List(FilterSet filters, ICollection<string>? warnings)
    {
        ArgumentNullException.ThrowIfNull(filters);
        filters.Validate(["dangling", "label", "name", "driver"]);
        var dangling = filters.Get("dangling");
        foreach (var value in dangling)
            if (value is not ("true" or "false" or "1" or "0"))
                throw EngineException.Invalid($"invalid filter 'dangling={value}'");
        if (warnings is not null) MergePluginVolumes(warnings);
        List<VolumeRecord> all;
        lock (_gate) all = [.. _byName.Values];
        return all.Where(v =>
                (dangling.Count == 0 || dangling.Contains(IsInUse(v.Name) ? "false" : "true") || dangling.Contains(IsInUse(v.Name) ? "0" : "1"))
                && (!filters.Contains("name") || filters.Get("name").Any(n => v.Name.Contains(n, StringComparison.Ordinal)))
                && (!filters.Contains("driver") || filters.Get("driver").Contains(v.Driver))
                && filters.MatchLabels("label", v.Labels))
            .OrderBy(v => v.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Adds every plugin's volumes that are not known here, in memory: the plugin stays their owner (and
    /// lists them again after a restart), as with Docker.</summary>
    private void MergePluginVolumes(ICollection<string> warnings)
    {
        if (Plugins is not { } plugins) return;
        foreach (var driver in plugins.DiscoverDrivers())
        {
            IReadOnlyList<PluginVolume> volumes;
            try
            {
                volumes = plugins.List(driver);
            }
            catch (EngineException e) when (e.Kind == ErrorKind.NotFound)
            {
                continue; // not a volume driver (or gone since discovery)
            }
            catch (EngineException e)
            {
                warnings.Add(e.Message);
                continue;
            }
            foreach (var volume in volumes) Adopt(driver, volume);
        }
    }

    private VolumeRecord? FindInPlugins(string name)
    {
        if (Plugins is not { } plugins) return null;
        foreach (var driver in plugins.DiscoverDrivers())
        {
            if (plugins.Get(driver, name) is { } volume && volume.Name == name) return Adopt(driver, volume);
        }
        return null;
    }

    private VolumeRecord Adopt(string driver, PluginVolume volume)
    {
        lock (_gate)
        {
            if (_byName.TryGetValue(volume.Name, out var known)) return known;
            var record = new VolumeRecord { Name = volume.Name, Driver = driver, Mountpoint = volume.Mountpoint, CreatedAt = _time.GetUtcNow() };
            _byName[volume.Name] = record;
            return record;
        }
    }

    public IReadOnlyList<string> UsersOf(string name) => _users?.ContainersUsing(name) ?? [];

    private bool IsInUse(string name) => UsersOf(name).Count > 0;

    /// <summary>docker volume rm: refuses a volume a container references (409), even with force.</summary>
    public void Remove(string name, bool force)
    {
        VolumeRecord? record;
        lock (_gate) _byName.TryGetValue(name, out record);
        record ??= FindInPlugins(name);
        if (record is null)
        {
            if (force) return;
            throw EngineException.NotFound($"get {name}: no such volume");
        }
        var users = UsersOf(name);
        if (users.Count > 0)
            throw EngineException.Conflict($"remove {name}: volume is in use - [{string.Join(", ", users)}]");
        if (record.Driver != LocalDriver)
            Plugins?.Remove(record.Driver, name);
        var directory = Path.Combine(_root, name);
        if (record.Driver == LocalDriver && _mounts.IsMounted(record.Mountpoint)) _mounts.Unmount(record.Mountpoint);
        lock (_gate) _byName.Remove(name);
        if (Directory.Exists(directory)) DirectoryTree.ForceDelete(directory);
    }

    /// <summary>docker volume prune: unused volumes; only anonymous ones unless the filter all=true (Docker 23+).
    /// Returns the removed names and the bytes reclaimed.</summary>
    public (IReadOnlyList<string> Deleted, long Reclaimed) Prune(FilterSet filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        filters.Validate(["label", "label!", "all"]);
        var all = filters.Get("all").Any(v => v is "true" or "1");
        List<VolumeRecord> candidates;
        lock (_gate) candidates = [.. _byName.Values];
        var deleted = new List<string>();
        long reclaimed = 0;
        foreach (var volume in candidates)
        {
            if (!all && !volume.IsAnonymous) continue;
            if (!filters.MatchLabels("label", volume.Labels)) continue;
            if (filters.Contains("label!") && filters.Get("label!").Any(l => LabelMatches(volume.Labels, l))) continue;
            if (IsInUse(volume.Name)) continue;
            var size = volume.Driver == LocalDriver ? DiskUsage.BytesBelow(volume.Mountpoint, _inspector) : 0;
            try
            {
                Remove(volume.Name, force: false);
                deleted.Add(volume.Name);
                reclaimed += size;
            }
            catch (EngineException)
            {
                // Taken into use meanwhile: not ours to prune.
            }
        }
        return (deleted, reclaimed);
    }

    /// <summary>Sizes and reference counts of every volume, for <c>system df -v</c>.</summary>
    public Task<IReadOnlyList<VolumeUsage>> UsageAsync(CancellationToken ct = default)
    {
        List<VolumeRecord> all;
        lock (_gate) all = [.. _byName.Values];
        return Task.Run<IReadOnlyList<VolumeUsage>>(() => all
            .Select(v => new VolumeUsage(v, v.Driver == LocalDriver ? DiskUsage.BytesBelow(v.Mountpoint, _inspector) : -1, UsersOf(v.Name).Count))
            .ToList(), ct);
    }

    /// <summary>Makes the volume's data available for <paramref name="containerId"/> and returns its host path:
    /// mounts a local volume with device options on first use, asks a plugin to mount.</summary>
    public string Acquire(string name, string containerId)
    {
        var record = Get(name);
        lock (_gate)
        {
            if (!_activeUsers.TryGetValue(name, out var users)) _activeUsers[name] = users = new HashSet<string>(StringComparer.Ordinal);
            var first = users.Count == 0;
            users.Add(containerId);
            try
            {
                if (record.Driver != LocalDriver)
                {
                    var plugins = Plugins ?? throw EngineException.NotFound($"error looking up volume plugin {record.Driver}: plugin \"{record.Driver}\" not found");
                    return plugins.Mount(record.Driver, name, containerId);
                }
                if (first && LocalMount(record) is { } mount && !_mounts.IsMounted(record.Mountpoint))
                    MountLocal(mount);
                return record.Mountpoint;
            }
            catch
            {
                users.Remove(containerId);
                throw;
            }
        }
    }

    /// <summary>The container stopped using the volume: the last user unmounts a device-backed local volume and
    /// tells a plugin. Best effort and idempotent.</summary>
    public void Release(string name, string containerId)
    {
        VolumeRecord? record;
        lock (_gate)
        {
            if (!_byName.TryGetValue(name, out record)) return;
            if (!_activeUsers.TryGetValue(name, out var users) || !users.Remove(containerId)) return;
            if (users.Count > 0) return;
            _activeUsers.Remove(name);
        }
        if (record.Driver != LocalDriver)
        {
            Plugins?.Unmount(record.Driver, name, containerId);
            return;
        }
        if (LocalMount(record) is not null) _mounts.Unmount(record.Mountpoint);
    }

    /// <summary>The mount a local volume with type/device/o options needs (Docker's local driver semantics:
    /// "type=none,o=bind,device=/path" binds a host directory, "type=tmpfs" a tmpfs, otherwise a device).</summary>
    public static Mount? LocalMount(VolumeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var options = record.Options;
        if (!options.ContainsKey("type") && !options.ContainsKey("device")) return null;
        var type = options.GetValueOrDefault("type", "none");
        var device = options.GetValueOrDefault("device", type);
        var words = options.GetValueOrDefault("o", "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (type == "none" || words.Contains("bind") || words.Contains("rbind"))
        {
            if (!words.Contains("bind") && !words.Contains("rbind")) words.Insert(0, "bind");
            return new Mount("bind", device, record.Mountpoint, words);
        }
        return new Mount(type, device, record.Mountpoint, words);
    }

    /// <summary>Mounts a device-backed local volume. A <c>device</c> that is an image file rather than a block
    /// device goes through a loop device with autoclear: unmounting the volume is what frees it again.</summary>
    private void MountLocal(Mount mount)
    {
        if (_loops is null || mount.Type is "bind" or "tmpfs" or "none" || !_loops.IsImageFile(mount.Source))
        {
            _mounts.Mount(mount);
            return;
        }
        // "loop" is mount(8)'s request for what happens here; mount(2) and the filesystem do not know the word.
        var options = mount.Options.Where(o => o != "loop").ToList();
        using var loop = _loops.Attach(mount.Source, readOnly: options.Contains("ro"));
        _mounts.Mount(mount with { Source = loop.DevicePath, Options = options });
    }

    private static bool LabelMatches(IReadOnlyDictionary<string, string> labels, string filter)
    {
        var eq = filter.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? labels.ContainsKey(filter) : labels.TryGetValue(filter[..eq], out var v) && v == filter[(eq + 1)..];
    }

    private void Load()
    {
        foreach (var directory in Directory.EnumerateDirectories(_root))
        {
            var file = Path.Combine(directory, MetadataFile);
            if (!File.Exists(file)) continue;
            try
            {
                if (JsonSerializer.Deserialize(File.ReadAllBytes(file), VolumeJsonContext.Default.VolumeRecord) is { } record)
                    _byName[record.Name] = record;
            }
            catch (JsonException)
            {
                // An unreadable document must not stop the daemon; the directory stays for inspection.
            }
        }
    }
}
