using System.Globalization;
using Wharf.Core.Errors;
using Wharf.Engine.Volumes;

namespace Wharf.Engine.Containers.Mounts;

/// <summary>Turns a container's -v/--mount/--tmpfs/--volumes-from/VOLUME requests into its mount points, with
/// Docker's precedence and error wording. Everything is validated before the first volume is created, so a bad
/// request leaves no volume behind.</summary>
public static class MountPlanner
{
    private static readonly string[] Propagations = ["private", "rprivate", "shared", "rshared", "slave", "rslave"];

    /// <summary>A volume the plan needs; created by the caller once the whole plan is valid.</summary>
    public sealed record VolumeIntent(string? Name, string Driver, IReadOnlyDictionary<string, string> Options, IReadOnlyDictionary<string, string> Labels);

    /// <summary>A mount point, plus the volume to create or look up for it (null for binds and tmpfs).</summary>
    public sealed record PlannedMount(MountPointRecord Mount, VolumeIntent? Volume);

    /// <param name="mountsOf">The mount points of another container (for --volumes-from); throws if unknown.</param>
    /// <param name="pathExists">Whether a host path exists (for --mount type=bind).</param>
    public static IReadOnlyList<PlannedMount> Plan(ContainerConfig config, HostSettings host,
        Func<string, IReadOnlyList<MountPointRecord>> mountsOf, Func<string, bool> pathExists)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(mountsOf);
        ArgumentNullException.ThrowIfNull(pathExists);
        var byDestination = new Dictionary<string, PlannedMount>(StringComparer.Ordinal);
        var driver = string.IsNullOrEmpty(host.VolumeDriver) ? VolumeService.LocalDriver : host.VolumeDriver;

        foreach (var from in host.VolumesFrom)
        {
            var (containerName, mode) = SplitVolumesFrom(from);
            foreach (var source in mountsOf(containerName))
            {
                if (source.Type == "tmpfs") continue;
                var copy = Clone(source);
                copy.CopyData = false;
                if (mode is not null) { copy.RW = mode == "rw"; copy.Mode = mode; }
                byDestination[copy.Destination] = new PlannedMount(copy, source.Type == "volume" ? new VolumeIntent(source.Name, source.Driver, Empty, Empty) : null);
            }
        }

        var explicitDestinations = new HashSet<string>(StringComparer.Ordinal);
        foreach (var bind in host.Binds)
        {
            var planned = ParseBind(bind, driver);
            if (!explicitDestinations.Add(planned.Mount.Destination))
                throw EngineException.Invalid($"Duplicate mount point: {planned.Mount.Destination}");
            byDestination[planned.Mount.Destination] = planned;
        }
        foreach (var request in host.Mounts)
        {
            var planned = ParseMount(request, driver, pathExists);
            if (!explicitDestinations.Add(planned.Mount.Destination))
                throw EngineException.Invalid($"Duplicate mount point: {planned.Mount.Destination}");
            byDestination[planned.Mount.Destination] = planned;
        }
        foreach (var (destination, options) in host.Tmpfs)
        {
            var target = CleanDestination(destination, "tmpfs");
            if (!explicitDestinations.Add(target))
                throw EngineException.Invalid($"Duplicate mount point: {target}");
            var words = options.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            byDestination[target] = new PlannedMount(new MountPointRecord
            {
                Type = "tmpfs",
                Destination = target,
                RW = !words.Contains("ro"),
                TmpfsOptions = words,
            }, null);
        }
        // Image VOLUMEs and -v /path: anonymous volumes where nothing else is mounted.
        foreach (var volume in config.Volumes)
        {
            var target = CleanDestination(volume, "volume");
            if (byDestination.ContainsKey(target)) continue;
            byDestination[target] = new PlannedMount(new MountPointRecord
            {
                Type = "volume",
                Destination = target,
                Driver = driver,
                RW = true,
                CopyData = true,
            }, AnonymousVolume(driver));
        }
        // Parents before children (fewest path components first), as Docker mounts them.
        return byDestination.Values
            .OrderBy(p => p.Mount.Destination.Count(c => c == '/'))
            .ThenBy(p => p.Mount.Destination, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Parses one <c>-v</c> / HostConfig.Binds entry: <c>src:dst[:mode]</c> or <c>/dst</c>.</summary>
    public static PlannedMount ParseBind(string spec, string driver = VolumeService.LocalDriver)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parts = spec.Split(':');
        string source, destination, mode = "";
        switch (parts.Length)
        {
            case 1: source = ""; destination = parts[0]; break;
            case 2: source = parts[0]; destination = parts[1]; break;
            case 3: source = parts[0]; destination = parts[1]; mode = parts[2]; break;
            default: throw EngineException.Invalid($"invalid volume specification: '{spec}'");
        }
        if (destination.Length == 0) throw EngineException.Invalid($"invalid volume specification: '{spec}'");
        var isBind = source.StartsWith('/');
        var type = isBind ? "bind" : "volume";
        if (!destination.StartsWith('/'))
            throw EngineException.Invalid($"invalid volume specification: '{spec}': invalid mount config for type \"{type}\": invalid mount path: '{destination}' mount path must be absolute");
        destination = Normalize(destination);
        if (destination == "/")
            throw EngineException.Invalid($"invalid volume specification: '{spec}': invalid mount config for type \"{type}\": invalid specification: destination can't be '/'");
        var words = mode.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var readOnly = false;
        var propagation = "";
        var noCopy = false;
        var rwCount = 0;
        foreach (var word in words)
        {
            switch (word)
            {
                case "ro": readOnly = true; rwCount++; break;
                case "rw": readOnly = false; rwCount++; break;
                case "z" or "Z": break; // SELinux relabelling: no SELinux here
                case "nocopy": noCopy = true; break;
                case "copy": noCopy = false; break;
                case var p when Propagations.Contains(p):
                    if (!isBind) throw EngineException.Invalid($"invalid mode: {mode}");
                    propagation = p;
                    break;
                default: throw EngineException.Invalid($"invalid mode: {mode}");
            }
        }
        if (rwCount > 1) throw EngineException.Invalid($"invalid mode: {mode}");
        if (isBind)
        {
            return new PlannedMount(new MountPointRecord
            {
                Type = "bind",
                Source = Normalize(source),
                Destination = destination,
                Mode = mode,
                RW = !readOnly,
                Propagation = propagation.Length > 0 ? propagation : "rprivate",
            }, null);
        }
        if (source.Length > 0 && !VolumeNames.IsValid(source) && driver == VolumeService.LocalDriver)
            throw EngineException.Invalid($"create {source}: \"{source}\" includes invalid characters for a local volume name, only \"{VolumeNames.AllowedPattern}\" are allowed. If you intended to pass a host directory, use absolute path");
        return new PlannedMount(new MountPointRecord
        {
            Type = "volume",
            Name = source,
            Destination = destination,
            Driver = driver,
            // Docker reports "z" for a named volume given without mode.
            Mode = source.Length > 0 && mode.Length == 0 ? "z" : mode,
            RW = !readOnly,
            CopyData = !noCopy,
        }, source.Length > 0 ? new VolumeIntent(source, driver, Empty, Empty) : AnonymousVolume(driver));
    }

    /// <summary>Parses one <c>--mount</c> / HostConfig.Mounts entry with Docker's validation messages.</summary>
    public static PlannedMount ParseMount(MountRequest request, string defaultDriver, Func<string, bool> pathExists)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(pathExists);
        var type = request.Type;
        string Fail(string why) => $"invalid mount config for type \"{type}\": {why}";
        if (type is not ("bind" or "volume" or "tmpfs"))
            throw EngineException.Invalid(Fail("mount type unknown"));
        if (request.Target.Length == 0) throw EngineException.Invalid(Fail("field Target must not be empty"));
        if (!request.Target.StartsWith('/'))
            throw EngineException.Invalid(Fail($"invalid mount path: '{request.Target}' mount path must be absolute"));
        var destination = Normalize(request.Target);
        switch (type)
        {
            case "bind":
                if (request.Source.Length == 0) throw EngineException.Invalid(Fail("field Source must not be empty"));
                if (!request.Source.StartsWith('/'))
                    throw EngineException.Invalid(Fail($"invalid mount path: '{request.Source}' mount path must be absolute"));
                if (request.TmpfsSizeBytes != 0 || request.TmpfsMode != 0) throw EngineException.Invalid(Fail("field TmpfsOptions must not be specified"));
                if (request.VolumeNoCopy || request.VolumeDriver.Length > 0) throw EngineException.Invalid(Fail("field VolumeOptions must not be specified"));
                var source = Normalize(request.Source);
                if (!request.BindCreateMountpoint && !pathExists(source))
                    throw EngineException.Invalid(Fail($"bind source path does not exist: {source}"));
                if (request.BindPropagation.Length > 0 && !Propagations.Contains(request.BindPropagation))
                    throw EngineException.Invalid(Fail($"invalid propagation mode: {request.BindPropagation}"));
                return new PlannedMount(new MountPointRecord
                {
                    Type = "bind",
                    Source = source,
                    Destination = destination,
                    RW = !request.ReadOnly,
                    Propagation = request.BindPropagation.Length > 0 ? request.BindPropagation : "rprivate",
                    NonRecursive = request.BindNonRecursive,
                    ReadOnlyNonRecursive = request.BindReadOnlyNonRecursive,
                }, null);
            case "volume":
                if (request.TmpfsSizeBytes != 0 || request.TmpfsMode != 0) throw EngineException.Invalid(Fail("field TmpfsOptions must not be specified"));
                var driver = request.VolumeDriver.Length > 0 ? request.VolumeDriver : defaultDriver;
                if (request.Source.Length > 0 && driver == VolumeService.LocalDriver && !VolumeNames.IsValid(request.Source))
                    throw EngineException.Invalid($"create {request.Source}: \"{request.Source}\" includes invalid characters for a local volume name, only \"{VolumeNames.AllowedPattern}\" are allowed. If you intended to pass a host directory, use absolute path");
                if (request.VolumeSubpath.Length > 0 && (request.VolumeSubpath.StartsWith('/') || request.VolumeSubpath.Split('/').Contains("..")))
                    throw EngineException.Invalid(Fail("subpath must be a relative path within the volume"));
                var labels = request.VolumeLabels;
                return new PlannedMount(new MountPointRecord
                {
                    Type = "volume",
                    Name = request.Source,
                    Destination = destination,
                    Driver = driver,
                    RW = !request.ReadOnly,
                    CopyData = !request.VolumeNoCopy,
                    Subpath = request.VolumeSubpath,
                }, request.Source.Length > 0
                    ? new VolumeIntent(request.Source, driver, request.VolumeDriverOptions, labels)
                    : new VolumeIntent(null, driver, request.VolumeDriverOptions, new Dictionary<string, string>(labels) { [VolumeRecord.AnonymousLabel] = "" }));
            default:
                if (request.Source.Length > 0) throw EngineException.Invalid(Fail("field Source must not be specified"));
                if (request.TmpfsSizeBytes < 0) throw EngineException.Invalid(Fail("invalid tmpfs size"));
                var options = new List<string>();
                if (request.TmpfsSizeBytes > 0) options.Add("size=" + request.TmpfsSizeBytes.ToString(CultureInfo.InvariantCulture));
                if (request.TmpfsMode != 0) options.Add("mode=" + Convert.ToString(request.TmpfsMode & 0xFFF, 8));
                if (request.ReadOnly) options.Add("ro");
                return new PlannedMount(new MountPointRecord
                {
                    Type = "tmpfs",
                    Destination = destination,
                    RW = !request.ReadOnly,
                    TmpfsOptions = options,
                }, null);
        }
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    private static VolumeIntent AnonymousVolume(string driver) =>
        new(null, driver, Empty, new Dictionary<string, string> { [VolumeRecord.AnonymousLabel] = "" });

    private static (string Container, string? Mode) SplitVolumesFrom(string spec)
    {
        var colon = spec.LastIndexOf(':');
        if (colon < 0) return (spec, null);
        var mode = spec[(colon + 1)..];
        if (mode is not ("ro" or "rw")) throw EngineException.Invalid($"invalid mode for volumes-from: {mode}");
        return (spec[..colon], mode);
    }

    private static string CleanDestination(string path, string type)
    {
        if (!path.StartsWith('/'))
            throw EngineException.Invalid($"invalid mount config for type \"{type}\": invalid mount path: '{path}' mount path must be absolute");
        return Normalize(path);
    }

    /// <summary>Lexically cleans an absolute path ("//a/./b/../c/" -> "/a/c"), like Go's filepath.Clean.</summary>
    public static string Normalize(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var stack = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") { if (stack.Count > 0) stack.RemoveAt(stack.Count - 1); continue; }
            stack.Add(part);
        }
        return "/" + string.Join('/', stack);
    }

    private static MountPointRecord Clone(MountPointRecord m) => new()
    {
        Type = m.Type, Name = m.Name, Source = m.Source, Destination = m.Destination, Driver = m.Driver, Mode = m.Mode,
        RW = m.RW, Propagation = m.Propagation, CopyData = m.CopyData, NonRecursive = m.NonRecursive,
        ReadOnlyNonRecursive = m.ReadOnlyNonRecursive, TmpfsOptions = [.. m.TmpfsOptions], Subpath = m.Subpath,
    };
}
