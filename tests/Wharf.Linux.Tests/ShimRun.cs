using System.Diagnostics;
using System.Text.Json.Nodes;
using Wharf.Core;
using Wharf.Core.Shim;

namespace Wharf.Linux.Tests;

/// <summary>One real wharf-shim + runc container for a test: a busybox rootfs in a temp bundle, a private runc
/// root, a unique container id. Dispose kills what is left (shim, runc state, mounts, files) even on failure.</summary>
internal sealed class ShimRun : IDisposable
{
    private readonly TempDirectory _temp = new("wharf-shim-test-");
    private Process? _shim;

    public ShimRun(string[] args, bool openStdin = false, bool stdinOnce = false, bool mountRootfs = false)
    {
        Id = "wharftest" + Guid.NewGuid().ToString("N")[..12];
        Bundle = Directory.CreateDirectory(_temp.Combine("bundle")).FullName;
        StateDir = _temp.Combine("state");
        RuntimeRoot = Directory.CreateDirectory(_temp.Combine("runc-root")).FullName;
        LogPath = _temp.Combine("logs", "container-json.log");
        Rootfs = System.IO.Path.Combine(Bundle, "rootfs");

        var image = mountRootfs ? _temp.Combine("image") : Rootfs;
        BuildBusyboxRootfs(image);
        if (mountRootfs)
        {
            // The daemon gives the shim a mounted rootfs to unmount at the end; a bind mount stands in for overlay.
            new LinuxMountOps().Mount(new Mount("bind", image, Rootfs, ["rbind"]));
        }
        WriteConfig(args);
        Options = new ShimOptions
        {
            Id = Id,
            Bundle = Bundle,
            StateDir = StateDir,
            Runtime = "runc",
            RuntimeRoot = RuntimeRoot,
            LogPath = LogPath,
            RootfsMount = mountRootfs ? Rootfs : null,
            OpenStdin = openStdin,
            StdinOnce = stdinOnce,
        };
    }

    public string Id { get; }
    public string Bundle { get; }
    public string StateDir { get; }
    public string RuntimeRoot { get; }
    public string LogPath { get; }
    public string Rootfs { get; }
    public ShimOptions Options { get; }
    public string Socket => ShimPaths.Socket(StateDir);
    public Process Shim => _shim ?? throw new InvalidOperationException("not launched");

    public void Launch()
    {
        var info = new ProcessStartInfo(FindShimBinary()) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in Options.ToArgs())
            info.ArgumentList.Add(a);
        _shim = Process.Start(info)!;
        _shim.BeginErrorReadLine();
    }

    public bool ShimExited(TimeSpan within) => Shim.WaitForExit(within);

    public void Dispose()
    {
        try
        {
            if (_shim is { HasExited: false })
            {
                _shim.Kill();
                _shim.WaitForExit(5000);
            }
            _shim?.Dispose();
            RunRunc("delete", "--force", Id);
        }
        finally
        {
            _temp.Dispose();
        }
    }

    public static string FindShimBinary()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Wharf.sln")))
            dir = dir.Parent;
        Assert.NotNull(dir);
        var candidates = new[] { "Debug", "Release" }
            .Select(c => System.IO.Path.Combine(dir.FullName, "src", "Wharf.Shim", "bin", c, "net10.0", "wharf-shim"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .ToList();
        Assert.True(candidates.Count > 0, "wharf-shim is not built");
        return candidates[0];
    }

    private void RunRunc(params string[] args)
    {
        var info = new ProcessStartInfo("runc") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add("--root");
        info.ArgumentList.Add(RuntimeRoot);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
    }

    private static void BuildBusyboxRootfs(string rootfs)
    {
        foreach (var d in new[] { "bin", "proc", "dev", "sys", "tmp", "etc" })
            Directory.CreateDirectory(System.IO.Path.Combine(rootfs, d));
        File.Copy("/bin/busybox", System.IO.Path.Combine(rootfs, "bin", "busybox"));
        foreach (var tool in new[] { "sh", "echo", "true", "false", "sleep", "cat" })
            File.CreateSymbolicLink(System.IO.Path.Combine(rootfs, "bin", tool), "busybox");
    }

    private void WriteConfig(string[] args)
    {
        var info = new ProcessStartInfo("runc") { UseShellExecute = false, WorkingDirectory = Bundle, RedirectStandardError = true };
        info.ArgumentList.Add("spec");
        using (var p = Process.Start(info)!)
        {
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, "runc spec failed: " + err);
        }
        var path = System.IO.Path.Combine(Bundle, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        config["process"]!["terminal"] = false;
        config["process"]!["args"] = new JsonArray([.. args.Select(a => JsonValue.Create(a))]);
        config["root"]!["path"] = "rootfs";
        config["root"]!["readonly"] = false;
        File.WriteAllText(path, config.ToJsonString());
    }
}
