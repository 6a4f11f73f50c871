using System.Diagnostics;
using Wharf.TestKit;

namespace Wharf.EndToEnd.Tests;

/// <summary>Docker's volume plugin protocol against a plugin written from Docker's documentation only (python's
/// http.server on a unix socket in /run/docker/plugins).</summary>
[Collection(DaemonCollection.Name)]
public sealed class VolumePluginTests(DaemonFixture daemon)
{
    private const string PluginScript = """
        import json, os, socketserver, sys
        from http.server import BaseHTTPRequestHandler
        sock, base, log, mode = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
        volumes = {}
        class Handler(BaseHTTPRequestHandler):
            def address_string(self): return "plugin"
            def log_message(self, *args): pass
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}"
                req = json.loads(body)
                with open(log, "a") as f: f.write(self.path + " " + json.dumps(req, sort_keys=True) + "\n")
                if mode == "garbage":
                    out = b"this is not json"
                else:
                    out = json.dumps(self.answer(self.path, req)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/vnd.docker.plugins.v1+json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)
            def answer(self, path, req):
                name = req.get("Name", "")
                where = os.path.join(base, name)
                if path == "/Plugin.Activate": return {"Implements": ["VolumeDriver"]}
                if path == "/VolumeDriver.Create": os.makedirs(where, exist_ok=True); volumes[name] = where; return {"Err": ""}
                if path == "/VolumeDriver.Remove": volumes.pop(name, None); return {"Err": ""}
                if path == "/VolumeDriver.Mount":
                    if name not in volumes: return {"Err": "no such volume " + name}
                    return {"Mountpoint": where, "Err": ""}
                if path in ("/VolumeDriver.Unmount",): return {"Err": ""}
                if path == "/VolumeDriver.Path": return {"Mountpoint": where, "Err": ""}
                if path == "/VolumeDriver.Get":
                    if name not in volumes: return {"Err": "no such volume " + name}
                    return {"Volume": {"Name": name, "Mountpoint": where}, "Err": ""}
                if path == "/VolumeDriver.List": return {"Volumes": [{"Name": n, "Mountpoint": m} for n, m in volumes.items()], "Err": ""}
                if path == "/VolumeDriver.Capabilities": return {"Capabilities": {"Scope": "local"}}
                return {"Err": "unknown call " + path}
        class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer): daemon_threads = True
        if os.path.exists(sock): os.unlink(sock)
        Server(sock, Handler).serve_forever()
        """;

    private static async Task<Process> StartPluginAsync(string script, string socket, string dataDir, string log, string mode)
    {
        var process = Process.Start(new ProcessStartInfo("python3") { ArgumentList = { script, socket, dataDir, log, mode }, UseShellExecute = false })!;
        for (var i = 0; i < 600 && !UnixSocketProbe.Accepts(socket); i++) await Task.Delay(50);
        Assert.True(UnixSocketProbe.Accepts(socket), "the test plugin did not start");
        return process;
    }

    [Fact]
    public async Task Plugin_CreateMountUnmountRemove_AndGarbageIsReported()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var driver = "wharf-test-" + suffix;
        var garbageDriver = "wharf-garbage-" + suffix;
        var work = Path.Combine(daemon.Root, driver);
        Directory.CreateDirectory(work);
        Directory.CreateDirectory("/run/docker/plugins");
        var script = Path.Combine(work, "plugin.py");
        await File.WriteAllTextAsync(script, PluginScript);
        var socket = $"/run/docker/plugins/{driver}.sock";
        var garbageSocket = $"/run/docker/plugins/{garbageDriver}.sock";
        var log = Path.Combine(work, "calls.log");
        var volume = "pv-" + suffix;
        Process? plugin = null, garbage = null;
        try
        {
            plugin = await StartPluginAsync(script, socket, Path.Combine(work, "data"), log, "normal");
            garbage = await StartPluginAsync(script, garbageSocket, Path.Combine(work, "garbage"), log + ".garbage", "garbage");

            var create = await daemon.DockerAsync("volume", "create", "-d", driver, "-o", "size=1", volume);
            Assert.True(create.ExitCode == 0, create.ToString());
            Assert.Equal(driver + "\n", (await daemon.DockerAsync("volume", "inspect", "-f", "{{.Driver}}", volume)).Stdout);
            var run = await daemon.DockerAsync("run", "--rm", "-v", volume + ":/data", "busybox", "sh", "-c", "echo through-plugin > /data/f");
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal("through-plugin\n", await File.ReadAllTextAsync(Path.Combine(work, "data", volume, "f")));

            // --volume-driver creates the named volume through the plugin.
            var implicitVolume = volume + "-b";
            var second = await daemon.DockerAsync("run", "--rm", "--volume-driver", driver, "-v", implicitVolume + ":/data", "busybox", "true");
            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.True(Directory.Exists(Path.Combine(work, "data", implicitVolume)));

            Assert.Equal(0, (await daemon.DockerAsync("volume", "rm", volume, implicitVolume)).ExitCode);
            var calls = await File.ReadAllLinesAsync(log);
            Assert.Equal("/Plugin.Activate {}", calls[0]);
            Assert.Contains($"/VolumeDriver.Create {{\"Name\": \"{volume}\", \"Opts\": {{\"size\": \"1\"}}}}", calls);
            var mount = Assert.Single(calls, c => c.StartsWith("/VolumeDriver.Mount", StringComparison.Ordinal) && c.Contains(volume + "\"", StringComparison.Ordinal));
            var unmount = Assert.Single(calls, c => c.StartsWith("/VolumeDriver.Unmount", StringComparison.Ordinal) && c.Contains(volume + "\"", StringComparison.Ordinal));
            Assert.Equal(mount["/VolumeDriver.Mount".Length..], unmount["/VolumeDriver.Unmount".Length..]); // same Name and mount ID
            Assert.Contains($"/VolumeDriver.Remove {{\"Name\": \"{volume}\"}}", calls);

            // A missing plugin and one that answers garbage: clear errors, no volume left behind.
            var missing = await daemon.DockerAsync("volume", "create", "-d", "no-such-plugin-" + suffix, "x" + suffix);
            Assert.Contains("plugin \"no-such-plugin-" + suffix + "\" not found", missing.Stderr);
            var bad = await daemon.DockerAsync("volume", "create", "-d", garbageDriver, "g" + suffix);
            Assert.NotEqual(0, bad.ExitCode);
            Assert.Contains("invalid answer from plugin " + garbageDriver, bad.Stderr);
            Assert.NotEqual(0, (await daemon.DockerAsync("volume", "inspect", "g" + suffix)).ExitCode);
        }
        finally
        {
            foreach (var p in new[] { plugin, garbage })
            {
                if (p is null) continue;
                p.Kill();
                await p.WaitForExitAsync();
                p.Dispose();
            }
            File.Delete(socket);
            File.Delete(garbageSocket);
            Directory.Delete(work, recursive: true);
        }
    }
}
