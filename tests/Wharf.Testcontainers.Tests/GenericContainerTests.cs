using System.Net.Sockets;
using System.Text;
using DotNet.Testcontainers.Builders;

namespace Wharf.Testcontainers.Tests;

/// <summary>Testcontainers' generic container against wharfd, used as a test suite would use it.</summary>
[Collection(TestcontainersCollection.Name)]
public sealed class GenericContainerTests(TestcontainersDaemon fixture)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(90);

    [DaemonFact]
    public async Task StartAsync_WaitStrategyAndRandomHostPort_ServesOnLoopback()
    {
        using var cts = new CancellationTokenSource(Budget);
        await using var container = fixture.Container()
            .WithCommand("sh", "-c", "mkdir -p /www && echo hello-tc > /www/index.html && echo web-ready && exec httpd -f -p 80 -h /www")
            .WithPortBinding(80, assignRandomHostPort: true)
            // Both strategies: the log one reads the logs API, the command one runs an exec until it exits 0.
            .WithWaitStrategy(Wait.ForUnixContainer()
                .UntilMessageIsLogged("web-ready")
                .UntilCommandIsCompleted("wget", "-q", "-O", "/dev/null", "http://127.0.0.1/"))
            .Build();
        await container.StartAsync(cts.Token);

        var port = container.GetMappedPublicPort(80);
        Assert.InRange(port, 1, 65535);
        // Only ever the loopback address, never the name Testcontainers would resolve.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var body = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"), cts.Token);
        Assert.Equal("hello-tc\n", body);
    }

    [DaemonFact]
    public async Task ExecAsync_Command_ReturnsStdoutStderrAndExitCode()
    {
        using var cts = new CancellationTokenSource(Budget);
        await using var container = fixture.Container().WithCommand("sleep", "3600").Build();
        await container.StartAsync(cts.Token);

        var result = await container.ExecAsync(["sh", "-c", "echo out-line; echo err-line >&2; exit 3"], cts.Token);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out-line\n", result.Stdout);
        Assert.Equal("err-line\n", result.Stderr);
    }

    [DaemonFact]
    public async Task GetLogsAsync_AfterExit_SplitsStreamsAndExitCodeIsKept()
    {
        using var cts = new CancellationTokenSource(Budget);
        await using var container = fixture.Container()
            .WithCommand("sh", "-c", "echo to-out; echo to-err >&2; while [ ! -e /tmp/stop ]; do sleep 1; done; exit 7")
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("to-err"))
            .Build();
        await container.StartAsync(cts.Token);

        await container.ExecAsync(["touch", "/tmp/stop"], cts.Token);
        Assert.Equal(7, await container.GetExitCodeAsync(cts.Token));

        // Testcontainers asks with since=0&until=0 (no bounds) unless told otherwise.
        var (stdout, stderr) = await container.GetLogsAsync(timestampsEnabled: false, ct: cts.Token);
        Assert.Equal("to-out\n", stdout);
        Assert.Equal("to-err\n", stderr);

        var (stampedOut, _) = await container.GetLogsAsync(ct: cts.Token);
        var line = Assert.Single(stampedOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.EndsWith(" to-out", line, StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(line.Split(' ')[0], out _), "expected an RFC 3339 timestamp first: " + line);

        // A window that ends before the container started holds nothing.
        var (early, _) = await container.GetLogsAsync(until: DateTime.UtcNow.AddHours(-1), timestampsEnabled: false, ct: cts.Token);
        Assert.Equal("", early);
    }
}
