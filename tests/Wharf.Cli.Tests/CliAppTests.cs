using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Wharf.Api.Streams;

namespace Wharf.Cli.Tests;

/// <summary>Drives the whole CLI against <see cref="FakeDaemon"/>: wire sequence, output routing and exit codes.</summary>
public sealed class CliAppTests
{
    private const string Id = "c0ffee0000000000000000000000000000000000000000000000000000000000";

    private sealed record Run(int ExitCode, string Out, string Err, string RawOut, string RawErr);

    private static async Task<Run> RunCliAsync(FakeDaemon daemon, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var rawOut = new MemoryStream();
        using var rawErr = new MemoryStream();
        var code = await CliApp.RunAsync(["-H", daemon.Host, .. args], output, error, _ => null, TimeProvider.System,
            () => Stream.Null, () => rawOut, () => rawErr);
        return new Run(code, output.ToString(), error.ToString(), Encoding.UTF8.GetString(rawOut.ToArray()), Encoding.UTF8.GetString(rawErr.ToArray()));
    }

    [Fact]
    public async Task Run_Foreground_AttachesWaitsStartsAndReturnsExitCode()
    {
        var started = new TaskCompletionSource();
        var outputSent = new TaskCompletionSource();
        await using var daemon = new FakeDaemon(async (request, socket) =>
        {
            switch (request.Method, request.Path)
            {
                case ("POST", "/v1.50/containers/create"):
                    await FakeDaemon.RespondAsync(socket, 201, $$"""{"Id":"{{Id}}","Warnings":[]}""");
                    break;
                case ("POST", $"/v1.50/containers/{Id}/attach"):
                    await socket.SendAsync("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"u8.ToArray(), SocketFlags.None);
                    await started.Task;
                    using (var frames = new MemoryStream())
                    {
                        await StdCopy.WriteFrameAsync(frames, StdStreamType.Stdout, "hello\n"u8.ToArray());
                        await StdCopy.WriteFrameAsync(frames, StdStreamType.Stderr, "oops\n"u8.ToArray());
                        await socket.SendAsync(frames.ToArray(), SocketFlags.None);
                    }

                    socket.Shutdown(SocketShutdown.Both);
                    outputSent.SetResult();
                    break;
                case ("POST", $"/v1.50/containers/{Id}/wait"):
                    // Headers first (the CLI starts only after seeing them), the body once the "container" exited.
                    await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"u8.ToArray(), SocketFlags.None);
                    await outputSent.Task;
                    var body = """{"StatusCode":3,"Error":null}""";
                    await socket.SendAsync(Encoding.ASCII.GetBytes($"{body.Length:x}\r\n{body}\r\n0\r\n\r\n"), SocketFlags.None);
                    break;
                case ("POST", $"/v1.50/containers/{Id}/start"):
                    await FakeDaemon.RespondAsync(socket, 204);
                    started.TrySetResult();
                    break;
                default:
                    await FakeDaemon.RespondAsync(socket, 404, """{"message":"unexpected"}""");
                    break;
            }
        });

        var run = await RunCliAsync(daemon, "run", "--name", "t1", "-e", "A=1", "busybox", "sh", "-c", "echo hello");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal("hello\n", run.RawOut);
        Assert.Equal("oops\n", run.RawErr);
        var requests = daemon.Requests.ToList();
        Assert.Equal(["/v1.50/containers/create", $"/v1.50/containers/{Id}/attach", $"/v1.50/containers/{Id}/wait", $"/v1.50/containers/{Id}/start"],
            requests.Select(r => r.Path).ToArray());
        Assert.Equal("/v1.50/containers/create?name=t1", requests[0].Target);
        Assert.Equal($"/v1.50/containers/{Id}/wait?condition=next-exit", requests[2].Target);
        Assert.Equal("tcp", requests[1].Headers["upgrade"]);
        var create = JsonDocument.Parse(requests[0].Body).RootElement;
        Assert.Equal("busybox", create.GetProperty("Image").GetString());
        Assert.Equal("sh,-c,echo hello", string.Join(',', create.GetProperty("Cmd").EnumerateArray().Select(e => e.GetString())));
        Assert.Equal("A=1", create.GetProperty("Env")[0].GetString());
    }

    [Fact]
    public async Task Run_StartFailsWithMissingExecutable_Exits127()
    {
        await using var daemon = new FakeDaemon(async (request, socket) =>
        {
            if (request.Path.EndsWith("/create", StringComparison.Ordinal))
            {
                await FakeDaemon.RespondAsync(socket, 201, $$"""{"Id":"{{Id}}","Warnings":[]}""");
            }
            else if (request.Path.EndsWith("/wait", StringComparison.Ordinal))
            {
                await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), SocketFlags.None);
            }
            else if (request.Path.EndsWith("/start", StringComparison.Ordinal))
            {
                await FakeDaemon.RespondAsync(socket, 400, """{"message":"failed to create task: exec: \"nope\": executable file not found in $PATH"}""");
            }
            else
            {
                await FakeDaemon.RespondAsync(socket, 404, """{"message":"unexpected"}""");
            }
        });

        var run = await RunCliAsync(daemon, "run", "-d", "busybox", "nope");

        Assert.Equal(127, run.ExitCode);
        Assert.Contains("Error response from daemon: failed to create task", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingImageWithPullNever_Exits125WithoutPulling()
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 404, """{"message":"No such image: nope:latest"}"""));

        var run = await RunCliAsync(daemon, "run", "--pull", "never", "nope");

        Assert.Equal(125, run.ExitCode);
        Assert.Contains("Error response from daemon: No such image: nope:latest", run.Err, StringComparison.Ordinal);
        Assert.Single(daemon.Requests);
    }

    [Fact]
    public async Task Ps_WithFilters_SendsFiltersJsonAndPrintsTable()
    {
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5;
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 200,
            $$$"""[{"Id":"{{{Id}}}","Names":["/web"],"Image":"busybox","ImageID":"sha256:x","Command":"top","Created":{{{created}}},"Ports":[],"Labels":{},"State":"running","Status":"Up 5 seconds","HostConfig":{"NetworkMode":"default"},"NetworkSettings":{"Networks":{}},"Mounts":[]}]"""));

        var run = await RunCliAsync(daemon, "ps", "-a", "--filter", "label=x=1", "--format", "table {{.ID}}\\t{{.Names}}\\t{{.Status}}");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("CONTAINER ID   NAMES     STATUS\nc0ffee000000   web       Up 5 seconds\n", run.Out);
        var target = daemon.Requests.Single().Target;
        Assert.Contains("all=1", target, StringComparison.Ordinal);
        Assert.Contains("filters=" + Uri.EscapeDataString("""{"label":{"x=1":true}}"""), target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rm_ForceOnMissing_SucceedsSilently_WithoutForceFails()
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 404, """{"message":"No such container: ghost"}"""));

        var forced = await RunCliAsync(daemon, "rm", "-f", "ghost");
        var plain = await RunCliAsync(daemon, "rm", "ghost");

        Assert.Equal(0, forced.ExitCode);
        Assert.Equal("", forced.Out + forced.Err);
        Assert.Equal(1, plain.ExitCode);
        Assert.Equal("Error response from daemon: No such container: ghost (see 'wharf ps -a' for the containers that exist)\n", plain.Err);
    }

    [Fact]
    public async Task Inspect_FallsBackToImage_PrintsIndentedArray()
    {
        await using var daemon = new FakeDaemon((request, socket) => request.Path.StartsWith("/v1.50/containers/", StringComparison.Ordinal)
            ? FakeDaemon.RespondAsync(socket, 404, """{"message":"No such container: busybox"}""")
            : FakeDaemon.RespondAsync(socket, 200, """{"Id":"sha256:abc","RepoTags":["busybox:latest"]}"""));

        var run = await RunCliAsync(daemon, "inspect", "busybox");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("[\n    {\n        \"Id\": \"sha256:abc\",\n        \"RepoTags\": [\n            \"busybox:latest\"\n        ]\n    }\n]\n", run.Out);
    }

    [Fact]
    public async Task UnknownFlag_Exits125WithDockerMessage()
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 500));

        var run = await RunCliAsync(daemon, "ps", "--bogus");

        Assert.Equal(125, run.ExitCode);
        Assert.StartsWith("unknown flag: --bogus\nSee 'wharf ps --help'.", run.Err, StringComparison.Ordinal);
        Assert.Empty(daemon.Requests);
    }

    [Fact]
    public async Task NoDaemon_PrintsCannotConnect()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(["-H", "unix:///nonexistent/wharf.sock", "ps"], output, error, _ => null, TimeProvider.System);

        Assert.Equal(1, code);
        Assert.Contains("Cannot connect to the Wharf daemon at unix:///nonexistent/wharf.sock", error.ToString(), StringComparison.Ordinal);
    }
}
