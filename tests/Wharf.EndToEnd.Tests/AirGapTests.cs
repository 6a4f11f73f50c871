using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Wharf.EndToEnd.Tests;

/// <summary>Test daemons are air-gapped by daemon.json "allowed-registries": a short name (docker.io) fails at once
/// with a message that says why, and nothing is contacted.</summary>
public sealed class AirGapTests
{
    [Fact]
    public async Task Pull_ShortNameOnAirGappedDaemon_FailsFastWithMessageAndConnectsNowhere()
    {
        // "Docker Hub" for this daemon is a loopback listener: any attempt to reach it would be seen here.
        using var hub = new TcpListener(IPAddress.Loopback, 0);
        hub.Start();
        var hubEndpoint = $"127.0.0.1:{((IPEndPoint)hub.LocalEndpoint).Port}";
        var daemon = new DaemonFixture { DaemonEnvironment = new Dictionary<string, string> { ["WHARF_DOCKER_HUB_ENDPOINT"] = hubEndpoint } };
        try
        {
            await daemon.StartDaemonAsync();
            Assert.Contains("allowed-registries", await File.ReadAllTextAsync(daemon.DaemonJsonPath), StringComparison.Ordinal);

            var clock = Stopwatch.StartNew();
            var pull = await daemon.DockerAsync("pull", "busybox:doesnotexist");
            clock.Stop();
            Assert.NotEqual(0, pull.ExitCode);
            Assert.Contains("allowed-registries", pull.Stderr, StringComparison.Ordinal);
            Assert.Contains("docker.io", pull.Stderr, StringComparison.Ordinal);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");

            // Same for the implicit pull of docker run (never --pull always here: it must fail before any contact).
            var run = await daemon.DockerAsync("run", "--rm", "alpine:doesnotexist", "true");
            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains("allowed-registries", run.Stderr, StringComparison.Ordinal);

            Assert.False(hub.Pending(), "the daemon tried to reach Docker Hub");
        }
        finally
        {
            await daemon.DisposeAsync();
        }
    }
}
