using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Wharf.Core;
using Wharf.Linux;
using Wharf.Linux.Mounts;

namespace Wharf.VolumeLoop;

/// <summary>The plugin's volumes: each one a sparse ext4 image file of a fixed size (so "-o size=" is a hard
/// limit), formatted with mkfs.ext4 at create and mounted through a loop device (Wharf.Linux's, with autoclear, so
/// the unmount frees it) while at least one mount id uses it.
/// Layout under the root: volumes/&lt;name&gt;.img, volumes/&lt;name&gt;.size, mnt/&lt;name&gt;/.</summary>
internal sealed partial class LoopVolumeDriver(string root, long defaultSize)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<string>> _mountIds = new(StringComparer.Ordinal);
    private readonly LinuxLoopDevices _loops = new();
    private readonly LinuxMountOps _mounts = new();

    private string Image(string name) => Path.Combine(root, "volumes", name + ".img");
    private string MountPoint(string name) => Path.Combine(root, "mnt", name);

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex ValidName();

    public void Create(string name, IReadOnlyDictionary<string, string> options)
    {
        CheckName(name);
        var size = defaultSize;
        foreach (var (key, value) in options)
        {
            if (key != "size") throw new DriverException($"unknown option \"{key}\" (only \"size\" is supported)");
            size = ParseSize(value);
        }
        lock (_gate)
        {
            if (File.Exists(Image(name))) return;
            Directory.CreateDirectory(Path.Combine(root, "volumes"));
            var temp = Image(name) + ".tmp";
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
            {
                file.SetLength(size);
            }
            try
            {
                Run("mkfs.ext4", "-q", "-F", "-m", "0", "-E", "lazy_itable_init=1,lazy_journal_init=1", temp);
                File.Move(temp, Image(name));
            }
            finally
            {
                File.Delete(temp);
            }
        }
    }

    public void Remove(string name)
    {
        CheckName(name);
        lock (_gate)
        {
            if (_mountIds.TryGetValue(name, out var ids) && ids.Count > 0) throw new DriverException($"volume {name} is in use");
            if (!File.Exists(Image(name))) throw new DriverException($"no such volume: {name}");
            if (IsMounted(MountPoint(name))) UnmountPath(MountPoint(name));
            File.Delete(Image(name));
            if (Directory.Exists(MountPoint(name))) Directory.Delete(MountPoint(name));
        }
    }

    public string Mount(string name, string id)
    {
        CheckName(name);
        lock (_gate)
        {
            if (!File.Exists(Image(name))) throw new DriverException($"no such volume: {name}");
            var mountPoint = MountPoint(name);
            Directory.CreateDirectory(mountPoint);
            if (!IsMounted(mountPoint)) MountImage(Image(name), mountPoint);
            if (!_mountIds.TryGetValue(name, out var ids)) _mountIds[name] = ids = new HashSet<string>(StringComparer.Ordinal);
            ids.Add(id);
            return mountPoint;
        }
    }

    public void Unmount(string name, string id)
    {
        CheckName(name);
        lock (_gate)
        {
            if (_mountIds.TryGetValue(name, out var ids))
            {
                ids.Remove(id);
                if (ids.Count > 0) return;
                _mountIds.Remove(name);
            }
            // The loop device is released with the mount (it was configured with autoclear).
            if (IsMounted(MountPoint(name))) UnmountPath(MountPoint(name));
        }
    }

    /// <summary>The mount point while mounted, "" otherwise (as the protocol's Path/Get expect).</summary>
    public string? PathOf(string name)
    {
        CheckName(name);
        if (!File.Exists(Image(name))) return null;
        return IsMounted(MountPoint(name)) ? MountPoint(name) : "";
    }

    public IReadOnlyList<string> List()
    {
        var directory = Path.Combine(root, "volumes");
        if (!Directory.Exists(directory)) return [];
        return Directory.EnumerateFiles(directory, "*.img").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList();
    }

    public long SizeOf(string name) => new FileInfo(Image(name)).Length;

    private static void CheckName(string name)
    {
        if (!ValidName().IsMatch(name)) throw new DriverException($"invalid volume name \"{name}\"");
    }

    /// <summary>"1G", "512m", "1048576": bytes (binary units, like docker's size options).</summary>
    public static long ParseSize(string text)
    {
        var match = Regex.Match(text.Trim(), "^([0-9]+)([kKmMgGtT]?)[bB]?$");
        if (!match.Success) throw new DriverException($"invalid size \"{text}\"");
        var value = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var shift = char.ToLowerInvariant(match.Groups[2].Value.FirstOrDefault()) switch { 'k' => 10, 'm' => 20, 'g' => 30, 't' => 40, _ => 0 };
        var size = value << shift;
        if (size < 2 * 1024 * 1024) throw new DriverException($"size {text} is too small (ext4 needs at least 2M)");
        return size;
    }

    private void MountImage(string image, string mountPoint)
    {
        try
        {
            using var loop = _loops.Attach(image, readOnly: false);
            _mounts.Mount(new Mount("ext4", loop.DevicePath, mountPoint, []));
        }
        catch (SyscallException e)
        {
            throw new DriverException($"mount {image}: {e.Message}");
        }
    }

    private void UnmountPath(string mountPoint)
    {
        try
        {
            _mounts.Unmount(mountPoint);
        }
        catch (SyscallException e)
        {
            throw new DriverException($"umount {mountPoint}: {e.Message}");
        }
    }

    private static bool IsMounted(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        return File.ReadLines("/proc/self/mountinfo").Any(line => line.Split(' ') is { Length: > 4 } f && f[4] == full);
    }

    private static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new DriverException($"cannot run {program}");
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new DriverException($"{program} failed: {stderr.Result.Trim()}");
    }
}

/// <summary>A failure the plugin reports to the daemon in the "Err" field.</summary>
internal sealed class DriverException(string message) : Exception(message);
