using Wharf.Cli.Output;

namespace Wharf.Cli.Tests;

/// <summary>Errors keep docker's words first and then name the way out: what lists the objects that exist, how to get
/// a missing image, what to do about a busy port, an image in use, a stopped container or a socket we may not open.</summary>
public sealed class ActionableErrorTests
{
    [Theory]
    [InlineData("No such container: web", "(see 'wharf ps -a' for the containers that exist)")]
    [InlineData("No such image: ghost:latest", "(image 'ghost:latest' not found locally; pull it with 'wharf pull ghost:latest' or build it with 'wharf build')")]
    [InlineData("network front not found", "(see 'wharf network ls' for the networks that exist)")]
    [InlineData("get data: no such volume", "(see 'wharf volume ls' for the volumes that exist)")]
    [InlineData("Container 3f2a is not running", "(start it with 'wharf start 3f2a')")]
    [InlineData("driver failed programming external connectivity: Bind for 0.0.0.0:8080 failed: port is already allocated", "publish on another one with -p HOSTPORT:PORT")]
    [InlineData("pull access denied for private/app, repository does not exist or may require 'docker login'", "log in first with 'wharf login REGISTRY'")]
    [InlineData("conflict: unable to remove repository reference \"x\" (must force) - container 3f2a is using its referenced image 9c1b", "force with 'wharf rmi -f'")]
    public void Describe_KnownFailure_KeepsDockersWordsThenNamesTheWayOut(string message, string hint)
    {
        var text = DaemonError.Describe(message);

        Assert.StartsWith("Error response from daemon: " + message + " (", text, StringComparison.Ordinal);
        Assert.Contains(hint, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("something unusual happened")]
    [InlineData("No such image: x:1 (already explained)")]
    public void Describe_UnknownOrExplained_IsDockersTextAlone(string message)
    {
        Assert.Equal("Error response from daemon: " + message, DaemonError.Describe(message));
    }

    [Fact]
    public async Task Stop_MissingContainer_PrintsTheHintPerTarget()
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 404, """{"message":"No such container: ghost"}"""));

        var run = await CliRun.Async(daemon, ["stop", "ghost"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("Error response from daemon: No such container: ghost (see 'wharf ps -a' for the containers that exist)\n", run.Err);
    }

    [Fact]
    public async Task Rm_MissingImage_Rmi_TellsHowToGetIt()
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 404, """{"message":"No such image: ghost:latest"}"""));

        var run = await CliRun.Async(daemon, ["image", "inspect", "--format", "{{.Id}}", "ghost"]);
        var history = await CliRun.Async(daemon, ["history", "ghost"]);

        Assert.NotEqual(0, history.ExitCode);
        Assert.Contains("pull it with 'wharf pull ghost:latest'", history.Err, StringComparison.Ordinal);
        Assert.Contains("No such image: ghost", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void SocketAccess_NoWharfGroup_SaysToCreateIt()
    {
        var hint = SocketAccessHint.Describe("/run/wharf/wharf.sock", path => path == "/etc/group" ? "root:x:0:\n" : null);

        Assert.Contains("create the group 'wharf'", hint, StringComparison.Ordinal);
    }

    [Fact]
    public void SocketAccess_InTheGroupButRefused_PointsAtTheSocketsMode()
    {
        var files = new Dictionary<string, string> { ["/etc/group"] = "wharf:x:997:me\n", ["/proc/self/status"] = "Groups:\t4 997\n" };

        var hint = SocketAccessHint.Describe("/run/wharf/wharf.sock", files.GetValueOrDefault);

        Assert.Contains("you are in the group 'wharf' but the socket does not let it in", hint, StringComparison.Ordinal);
        Assert.Contains("ls -l /run/wharf/wharf.sock", hint, StringComparison.Ordinal);
    }
}
