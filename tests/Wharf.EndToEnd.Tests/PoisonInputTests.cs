using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Wharf.EndToEnd.Tests;

/// <summary>No request poisons a view others share, and no bad input earns a 5xx: every case below is refused with
/// 400 and a message, and the daemon's lists keep answering afterwards.</summary>
[Collection(DaemonCollection.Name)]
public sealed class PoisonInputTests(DaemonFixture daemon)
{
    private async Task<(HttpStatusCode Status, string Message)> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var client = daemon.CreateHttpClient();
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var message = (int)response.StatusCode >= 400 && text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text).RootElement.GetProperty("message").GetString()! : text;
        return (response.StatusCode, message);
    }

    private async Task AssertListsStillAnswerAsync()
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "v1.50/containers/json?all=1");
        Assert.True(status == HttpStatusCode.OK, $"containers/json: {status} {body}");
        var ps = await daemon.DockerAsync("ps", "-a");
        Assert.True(ps.ExitCode == 0, ps.ToString());
    }

    [Theory]
    [InlineData("\"ExposedPorts\":{\"-1/tcp\":{}}", "-1/tcp")]
    [InlineData("\"ExposedPorts\":{\"99999/tcp\":{}}", "99999/tcp")]
    [InlineData("\"ExposedPorts\":{\"80/bogus\":{}}", "80/bogus")]
    [InlineData("\"HostConfig\":{\"PortBindings\":{\"abc\":[{\"HostPort\":\"8080\"}]}}", "abc")]
    [InlineData("\"HostConfig\":{\"PortBindings\":{\"80-70/tcp\":[]}}", "80-70/tcp")]
    [InlineData("\"HostConfig\":{\"PortBindings\":{\"0/tcp\":[]}}", "0/tcp")]
    [InlineData("\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"99999\"}]}}", "hostPort")]
    [InlineData("\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"not-an-ip\",\"HostPort\":\"8080\"}]}}", "IP address")]
    [InlineData("\"StopSignal\":\"SIGBOGUS\"", "signal")]
    [InlineData("\"HostConfig\":{\"Runtime\":\"bogus\"}", "Unknown runtime")]
    [InlineData("\"Env\":[null]", "environment variable")]
    public async Task Create_InvalidValue_Is400AndListsKeepAnswering(string fields, string wording)
    {
        var name = "poison-" + Guid.NewGuid().ToString("N")[..8];
        var (status, message) = await SendAsync(HttpMethod.Post, $"v1.50/containers/create?name={name}", $"{{\"Image\":\"busybox\",\"Cmd\":[\"true\"],{fields}}}");
        try
        {
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains(wording, message, StringComparison.Ordinal);
            await AssertListsStillAnswerAsync();
        }
        finally
        {
            if (status == HttpStatusCode.Created) await daemon.DockerAsync("rm", "-f", name);
        }
    }

    [Theory]
    [InlineData("x\n")]
    [InlineData("xy\n")]
    [InlineData("a\u0007b")]
    public async Task VolumeCreate_NameWithControlCharacters_Is400(string volume)
    {
        var (status, message) = await SendAsync(HttpMethod.Post, "v1.50/volumes/create", JsonSerializer.Serialize(new Dictionary<string, string> { ["Name"] = volume }));
        if (status == HttpStatusCode.Created) await SendAsync(HttpMethod.Delete, "v1.50/volumes/" + Uri.EscapeDataString(volume));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(string.IsNullOrWhiteSpace(message));
    }

    [Fact]
    public async Task VolumeCreate_OneMegabyteName_Is400WithoutHostPath()
    {
        var (status, message) = await SendAsync(HttpMethod.Post, "v1.50/volumes/create", JsonSerializer.Serialize(new Dictionary<string, string> { ["Name"] = new string('a', 1024 * 1024) }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.DoesNotContain(daemon.DataRoot, message, StringComparison.Ordinal);
        Assert.True(message.Length < 1000, $"message of {message.Length} characters");
    }

    [Fact]
    public async Task NetworkCreate_BridgeNameWithPath_Is400()
    {
        var name = "poison-net-" + Guid.NewGuid().ToString("N")[..6];
        var (status, message) = await SendAsync(HttpMethod.Post, "v1.50/networks/create",
            $"{{\"Name\":\"{name}\",\"Driver\":\"bridge\",\"Options\":{{\"com.docker.network.bridge.name\":\"../../x\"}}}}");
        if (status == HttpStatusCode.Created) await daemon.DockerAsync("network", "rm", name);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("bridge name", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_SinceOutOfRange_Is400()
    {
        var (status, message) = await SendAsync(HttpMethod.Get, "v1.50/events?since=99999999999999999999&until=1");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("since", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContainerQueries_BadLogsUntilArchivePathAndPsArgs_Are400()
    {
        var name = "poison-run-" + Guid.NewGuid().ToString("N")[..6];
        var run = await daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sleep", "300");
        Assert.True(run.ExitCode == 0, run + daemon.DaemonLog());
        try
        {
            var (logs, logsMessage) = await SendAsync(HttpMethod.Get, $"v1.50/containers/{name}/logs?stdout=1&until=-99999999999999999999");
            Assert.Equal(HttpStatusCode.BadRequest, logs);
            Assert.Contains("until", logsMessage, StringComparison.Ordinal);

            var (archive, archiveMessage) = await SendAsync(HttpMethod.Get, $"v1.50/containers/{name}/archive?path=%00");
            Assert.Equal(HttpStatusCode.BadRequest, archive);
            Assert.Contains("path", archiveMessage, StringComparison.Ordinal);

            var (top, topMessage) = await SendAsync(HttpMethod.Get, $"v1.50/containers/{name}/top?ps_args=--bogus");
            Assert.Equal(HttpStatusCode.BadRequest, top);
            Assert.Contains("ps", topMessage, StringComparison.Ordinal);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task Attach_ExitedContainerLogsOnly_ReturnsAtOnceWithTheLogs()
    {
        var name = "poison-attach-" + Guid.NewGuid().ToString("N")[..6];
        var run = await daemon.DockerAsync("run", "--name", name, "busybox", "echo", "logged-before-exit");
        Assert.True(run.ExitCode == 0, run + daemon.DaemonLog());
        try
        {
            using var client = daemon.CreateHttpClient();
            client.Timeout = TimeSpan.FromSeconds(10);
            var started = System.Diagnostics.Stopwatch.StartNew();
            using var response = await client.PostAsync($"v1.50/containers/{name}/attach?stream=0&logs=1&stdout=1&stderr=1", null);
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
            Assert.Contains("logged-before-exit", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task Create_ChunkSizeOverflowing_Is400()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(daemon.Socket));
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "POST /v1.50/containers/create HTTP/1.1\r\nHost: wharf\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "FFFFFFFFFFFFFFFFFF\r\n{\"Image\":\"busybox\"}\r\n0\r\n\r\n"));
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = await stream.ReadAsync(buffer, timeout.Token);
        var answer = Encoding.ASCII.GetString(buffer, 0, read);
        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
    }
}
