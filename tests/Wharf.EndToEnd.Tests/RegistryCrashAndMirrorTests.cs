using System.Net;
using Wharf.Registry.Tests;

namespace Wharf.EndToEnd.Tests;

/// <summary>Registry behaviour that needs a wharfd of its own: killed with SIGKILL in the middle of a pull, and
/// configured with daemon.json "registry-mirrors" (with Docker Hub pointed at a dead loopback port, so nothing
/// can leave the machine; docker.io is allowed here only because of that).</summary>
public sealed class RegistryCrashAndMirrorTests
{
    [Fact]
    public async Task Pull_DaemonKilledMidPullAndMirrorConfigured_NoHalfImageThenCompletesAndMirrorServesDockerHubNames()
    {
        var deadHub = $"127.0.0.1:{RegistryServerProcess.FreePort()}";
        await using var registry = await RegistryServerProcess.StartWharfAsync();
        var daemon = new DaemonFixture();
        Directory.CreateDirectory(daemon.Root);
        await File.WriteAllTextAsync(Path.Combine(daemon.Root, "daemon.json"), $$"""{"registry-mirrors":["http://{{registry.Address}}"], "allowed-registries":["127.0.0.1","docker.io"]}""");
        Environment.SetEnvironmentVariable("WHARF_DOCKER_HUB_ENDPOINT", deadHub);
        await using var proxy = new TcpTestProxy(new IPEndPoint(IPAddress.Loopback, registry.Port));
        try
        {
            // Kept for the whole test: the daemon is started again after the kill. (It only redirects docker.io,
            // which no other test pulls.)
            await daemon.InitializeAsync();
            // busybox plus 24 MB of random bytes: one unique layer that cannot be compressed away.
            var image = $"{registry.Address}/crash/big:v1";
            var import = await CommandRunner.RunAsync("bash", ["-c",
                $"'{TestBinaries.BusyboxRootfsScript}' | python3 -c \"{AddRandomFileScript}\" | '{TestBinaries.Docker}' import - {image}"], daemon.Env, timeout: TimeSpan.FromSeconds(120));
            Assert.True(import.ExitCode == 0, import.ToString());
            var push = await daemon.DockerAsync("push", image);
            Assert.True(push.ExitCode == 0, push + daemon.DaemonLog() + registry.Log());
            Assert.True((await daemon.DockerAsync("rmi", image)).ExitCode == 0);

            // Pull through a slow link and kill wharfd once part of the layer has arrived.
            var slow = $"127.0.0.1:{proxy.Port}/crash/big:v1";
            proxy.Throttle = TimeSpan.FromMilliseconds(20);
            var before = proxy.BytesRelayed;
            var pulling = daemon.DockerAsync("pull", slow);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (proxy.BytesRelayed - before < 2_000_000 && !pulling.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(50);
            if (pulling.IsCompleted) Assert.Fail("the pull finished before it could be interrupted: " + await pulling);
            await daemon.KillDaemonAsync();
            // The CLI's stream just ends (how it reports that varies by CLI version); what matters is the store.
            await pulling;

            await daemon.StartDaemonAsync();
            var half = await daemon.DockerAsync("image", "inspect", slow);
            Assert.NotEqual(0, half.ExitCode);
            Assert.DoesNotContain(slow, (await daemon.DockerAsync("images", "--format", "{{.Repository}}:{{.Tag}}")).Stdout, StringComparison.Ordinal);

            proxy.Throttle = TimeSpan.Zero;
            var pull = await daemon.DockerAsync("pull", slow);
            Assert.True(pull.ExitCode == 0, pull + daemon.DaemonLog());
            Assert.Contains("Pull complete", pull.Stdout, StringComparison.Ordinal);
            var run = await daemon.DockerAsync("run", "--rm", slow, "wc", "-c", "/random.bin");
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.StartsWith("24000000", run.Stdout.Trim(), StringComparison.Ordinal);

            // registry-mirrors: a Docker Hub name is served by the mirror...
            Assert.True((await daemon.DockerAsync("tag", "busybox", $"{registry.Address}/library/busybox:mirrored")).ExitCode == 0);
            Assert.True((await daemon.DockerAsync("push", $"{registry.Address}/library/busybox:mirrored")).ExitCode == 0);
            var mirrored = await daemon.DockerAsync("pull", "busybox:mirrored");
            Assert.True(mirrored.ExitCode == 0, mirrored + daemon.DaemonLog());
            Assert.Contains("Status: Downloaded newer image for busybox:mirrored", mirrored.Stdout, StringComparison.Ordinal);
            // ...and one the mirror lacks falls back to "Docker Hub", here a dead port: an error, never the internet.
            var absent = await daemon.DockerAsync("pull", "busybox:not-on-the-mirror");
            Assert.NotEqual(0, absent.ExitCode);
            Assert.Contains(deadHub, absent.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("WHARF_DOCKER_HUB_ENDPOINT", null);
            await daemon.DisposeAsync();
        }
    }

    private const string AddRandomFileScript =
        "import sys, tarfile, io, os; src = tarfile.open(fileobj=sys.stdin.buffer, mode='r|*'); dst = tarfile.open(fileobj=sys.stdout.buffer, mode='w|'); " +
        "[dst.addfile(m, src.extractfile(m) if m.isfile() else None) for m in src]; data = os.urandom(24000000); info = tarfile.TarInfo('random.bin'); info.size = len(data); info.mode = 0o644; " +
        "dst.addfile(info, io.BytesIO(data)); dst.close()";
}
