using System.Diagnostics;
using System.Text.Json;
using Wharf.TestKit;

namespace Wharf.EndToEnd.Tests;

/// <summary>ps --filter volume, system df -v sizes, volumes a plugin already had before this daemon saw them
/// (VolumeDriver.List/Get), a plugin failing to mount, an ext4 image file as a local volume (loop device), and the
/// API status codes of bad volume requests.</summary>
[Collection(DaemonCollection.Name)]
public sealed class VolumeUsageAndPluginListTests(DaemonFixture daemon)
{
    // A volume plugin written from Docker's documentation: its volumes are the directories under a base
    // directory, so some exist before the daemon ever hears of them.
    private const string PluginScript = """
        import json, os, shutil, socketserver, sys
        from http.server import BaseHTTPRequestHandler
        sock, base = sys.argv[1], sys.argv[2]
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args): pass
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}"
                req = json.loads(body) or {}
                name = req.get("Name", "")
                where = os.path.join(base, name)
                p = self.path
                if p == "/Plugin.Activate": out = {"Implements": ["VolumeDriver"]}
                elif p == "/VolumeDriver.Create": os.makedirs(where, exist_ok=True); out = {"Err": ""}
                elif p == "/VolumeDriver.Remove": shutil.rmtree(where, ignore_errors=True); out = {"Err": ""}
                elif p == "/VolumeDriver.Mount":
                    out = {"Err": "mount refused by the test plugin"} if name.startswith("failmount") else {"Mountpoint": where, "Err": ""}
                elif p == "/VolumeDriver.Unmount": out = {"Err": ""}
                elif p == "/VolumeDriver.Path": out = {"Mountpoint": where, "Err": ""}
                elif p == "/VolumeDriver.Get":
                    out = {"Volume": {"Name": name, "Mountpoint": where}, "Err": ""} if os.path.isdir(where) else {"Err": "no such volume"}
                elif p == "/VolumeDriver.List": out = {"Volumes": [{"Name": n, "Mountpoint": os.path.join(base, n)} for n in sorted(os.listdir(base))], "Err": ""}
                elif p == "/VolumeDriver.Capabilities": out = {"Capabilities": {"Scope": "local"}}
                else: out = {"Err": "unknown call " + p}
                data = json.dumps(out).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/vnd.docker.plugins.v1+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
        class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer): daemon_threads = True
        if os.path.exists(sock): os.unlink(sock)
        Server(sock, Handler).serve_forever()
        """;

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    private async Task<CommandResult> OkAsync(params string[] args)
    {
        var r = await daemon.DockerAsync(args);
        Assert.True(r.ExitCode == 0, $"docker {string.Join(' ', args)}\n{r}");
        return r;
    }

    [Fact]
    public async Task PsVolumeFilter_AndSystemDfVerbose_ShowVolumesAndSizes()
    {
        var volume = Unique("dfvol");
        var withVolume = Unique("ps-vol");
        var withBind = Unique("ps-bind");
        var hostDir = Path.Combine(daemon.Root, Unique("psbind"));
        Directory.CreateDirectory(hostDir);
        try
        {
            await OkAsync("volume", "create", volume);
            await OkAsync("run", "-d", "--name", withVolume, "-v", volume + ":/data", "busybox", "sh", "-c",
                "head -c 1000000 /dev/zero > /data/blob && sleep 60");
            await OkAsync("run", "-d", "--name", withBind, "-v", hostDir + ":/hostdir", "busybox", "sleep", "60");

            async Task<string> PsAsync(string filter) =>
                (await OkAsync("ps", "-a", "--format", "{{.Names}}", "--filter", "volume=" + filter)).Stdout;
            Assert.Equal(withVolume + "\n", await PsAsync(volume));
            Assert.Contains(withVolume + "\n", await PsAsync("/data"));
            Assert.DoesNotContain(withBind, await PsAsync("/data"));
            Assert.Equal(withBind + "\n", await PsAsync(hostDir));
            Assert.Equal("", await PsAsync("no-such-volume-" + volume));

            // The volume's content is 1 MB once the writer is done; df -v lists it with one link.
            string line = "";
            for (var i = 0; i < 50; i++)
            {
                var df = await OkAsync("system", "df", "-v");
                line = df.Stdout.Split('\n').FirstOrDefault(l => l.StartsWith(volume + " ", StringComparison.Ordinal)) ?? "";
                if (line.EndsWith("1MB", StringComparison.Ordinal)) break;
                await Task.Delay(100);
            }
            Assert.Matches($"^{volume}\\s+1\\s+1MB$", line);
            var wharfDf = await daemon.WharfAsync("system", "df", "-v");
            Assert.Contains(wharfDf.Stdout.Split('\n'), l => System.Text.RegularExpressions.Regex.IsMatch(l, $"^{volume}\\s+1\\s+1MB\\s*$"));
            var summary = await OkAsync("system", "df");
            Assert.Matches("Local Volumes\\s+[1-9][0-9]*\\s+[1-9][0-9]*\\s+", summary.Stdout);
            using var api = daemon.CreateHttpClient();
            using var body = JsonDocument.Parse(await api.GetStringAsync("/system/df"));
            var entry = body.RootElement.GetProperty("Volumes").EnumerateArray().Single(v => v.GetProperty("Name").GetString() == volume);
            Assert.Equal(1000000, entry.GetProperty("UsageData").GetProperty("Size").GetInt64());
            Assert.Equal(1, entry.GetProperty("UsageData").GetProperty("RefCount").GetInt64());

            // In use: 409 from the API itself, and a bad name is a 400 with Docker's wording.
            using var busy = await api.DeleteAsync("/volumes/" + volume);
            Assert.Equal(409, (int)busy.StatusCode);
            using var bad = await api.PostAsync("/volumes/create", new StringContent("""{"Name":"bad/name"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(400, (int)bad.StatusCode);
            using var badBody = JsonDocument.Parse(await bad.Content.ReadAsStringAsync());
            Assert.StartsWith("create bad/name: \"bad/name\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed",
                badBody.RootElement.GetProperty("message").GetString());
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", withVolume, withBind);
            await daemon.DockerAsync("volume", "rm", "-f", volume);
            Directory.Delete(hostDir, recursive: true);
        }
    }

    [Fact]
    public async Task PluginVolumes_ListedAndInspectedBeforeFirstUse_AndAFailedMountLeavesNothing()
    {
        var driver = Unique("wharf-listing");
        var work = Path.Combine(daemon.Root, driver);
        var data = Path.Combine(work, "data");
        var socket = $"/run/docker/plugins/{driver}.sock";
        var listed = Unique("pre-listed");
        var inspected = Unique("pre-inspected");
        var failing = Unique("failmount");
        var container = Unique("plugin-fail");
        Directory.CreateDirectory(Path.Combine(data, listed));
        Directory.CreateDirectory(Path.Combine(data, inspected));
        Directory.CreateDirectory("/run/docker/plugins");
        var script = Path.Combine(work, "plugin.py");
        await File.WriteAllTextAsync(script, PluginScript);
        Process? plugin = null;
        try
        {
            plugin = Process.Start(new ProcessStartInfo("python3") { ArgumentList = { script, socket, data }, UseShellExecute = false })!;
            // Generous: python takes seconds to start on a loaded CI host.
            for (var i = 0; i < 600 && !UnixSocketProbe.Accepts(socket); i++) await Task.Delay(50);
            Assert.True(UnixSocketProbe.Accepts(socket), "the test plugin did not start");

            // Inspect first (VolumeDriver.Get), then ls (VolumeDriver.List): both volumes predate this daemon.
            var inspect = await OkAsync("volume", "inspect", "-f", "{{.Name}} {{.Driver}} {{.Mountpoint}}", inspected);
            Assert.Equal($"{inspected} {driver} {Path.Combine(data, inspected)}\n", inspect.Stdout);
            var ls = await OkAsync("volume", "ls", "--format", "{{.Driver}} {{.Name}}", "--filter", "driver=" + driver);
            Assert.Contains($"{driver} {listed}\n", ls.Stdout);
            Assert.Contains($"{driver} {inspected}\n", ls.Stdout);
            // A listed volume is usable at once.
            await OkAsync("run", "--rm", "-v", listed + ":/data", "busybox", "sh", "-c", "echo via-list > /data/f");
            Assert.Equal("via-list\n", await File.ReadAllTextAsync(Path.Combine(data, listed, "f")));

            // The plugin refuses to mount: a clear error, the container is not left running, nothing stays mounted.
            await OkAsync("volume", "create", "-d", driver, failing);
            var run = await daemon.DockerAsync("run", "--name", container, "-v", failing + ":/data", "busybox", "true");
            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains("mount refused by the test plugin", run.Stderr);
            var state = (await OkAsync("inspect", "-f", "{{.Id}} {{.State.Status}}", container)).Stdout.Trim().Split(' ');
            Assert.NotEqual("running", state[1]);
            Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(state[0], StringComparison.Ordinal) || l.Contains(Path.Combine(data, failing), StringComparison.Ordinal));
            await OkAsync("rm", "-f", container);
            await OkAsync("volume", "rm", listed, inspected, failing);
            Assert.False(Directory.Exists(Path.Combine(data, listed)));
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", container);
            await daemon.DockerAsync("volume", "rm", "-f", listed, inspected, failing);
            if (plugin is not null)
            {
                plugin.Kill();
                await plugin.WaitForExitAsync();
                plugin.Dispose();
            }
            File.Delete(socket);
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task LocalVolume_Ext4ImageFile_MountsThroughALoopDeviceThatIsFreedAfterwards()
    {
        var volume = Unique("ext4img");
        var image = Path.Combine(daemon.Root, volume + ".img");
        await using (var file = new FileStream(image, FileMode.CreateNew)) file.SetLength(16 * 1024 * 1024);
        var mkfs = await CommandRunner.RunAsync("mkfs.ext4", ["-q", "-F", image], daemon.Env);
        Assert.True(mkfs.ExitCode == 0, mkfs.ToString());
        try
        {
            await OkAsync("volume", "create", "-o", "type=ext4", "-o", "device=" + image, volume);
            var first = await OkAsync("run", "--rm", "-v", volume + ":/data", "busybox", "sh", "-c", "echo on-ext4 > /data/f; grep ' /data ' /proc/mounts");
            Assert.Contains(" /data ext4 ", first.Stdout);
            Assert.Empty(LoopDevicesOf(image));
            var second = await OkAsync("run", "--rm", "-v", volume + ":/data:ro", "busybox", "cat", "/data/f");
            Assert.Equal("on-ext4\n", second.Stdout);
            Assert.Empty(LoopDevicesOf(image));
        }
        finally
        {
            await daemon.DockerAsync("volume", "rm", "-f", volume);
            File.Delete(image);
        }
    }

    /// <summary>Loop devices still bound to <paramref name="image"/> (autoclear may take a moment after umount).</summary>
    private static List<string> LoopDevicesOf(string image)
    {
        var found = new List<string>();
        for (var attempt = 0; attempt < 50; attempt++)
        {
            found = Directory.EnumerateDirectories("/sys/block", "loop*")
                .Where(d => File.Exists(Path.Combine(d, "loop", "backing_file")))
                .Where(d =>
                {
                    try { return File.ReadAllText(Path.Combine(d, "loop", "backing_file")).Trim() == image; }
                    catch (IOException) { return false; }
                })
                .ToList();
            if (found.Count == 0) break;
            Thread.Sleep(20);
        }
        return found;
    }
}
