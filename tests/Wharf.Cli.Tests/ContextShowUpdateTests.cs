using Wharf.Cli.Contexts;

namespace Wharf.Cli.Tests;

/// <summary>`context show` and `context update` against a temporary config directory (no daemon is asked).</summary>
public sealed class ContextShowUpdateTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("wharf-ctx-");

    public void Dispose() => _dir.Delete(recursive: true);

    private ContextStore Store => new(_dir.FullName);

    private async Task<(int Code, string Out, string Err)> RunAsync(Dictionary<string, string> environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(["--config", _dir.FullName, .. args], output, error, k => environment.GetValueOrDefault(k), TimeProvider.System);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Ps_ContextWhoseSocketIsGone_NamesTheSocketTheContextAndTheWayOut()
    {
        var socket = Path.Combine(_dir.FullName, "gone.sock");
        Store.Save("lab", "", "unix://" + socket, false, new Dictionary<string, byte[]>());

        var run = await RunAsync([], "--context", "lab", "ps");

        Assert.Equal(1, run.Code);
        Assert.Equal($"Cannot connect to the Wharf daemon at unix://{socket}. Is the wharf daemon running? (socket {socket} does not exist; "
            + "start wharfd, or pick another daemon with -H, WHARF_HOST or --context) (context \"lab\")\n", run.Err);
    }

    [Fact]
    public async Task Ps_NothingListeningOnTheSocket_SaysConnectionRefused()
    {
        var path = Path.Combine(_dir.FullName, "dead.sock");
        // Bound but not listening: the socket file is there, a connect is refused.
        using var bound = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        bound.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));

        var run = await RunAsync([], "-H", "unix://" + path, "ps");

        Assert.Equal(1, run.Code);
        Assert.Equal($"Cannot connect to the Wharf daemon at unix://{path}. Is the wharf daemon running? (connection refused: nothing is listening there)\n", run.Err);
    }

    [Fact]
    public async Task Show_FollowsTheContextInEffect()
    {
        Store.Save("remote", "", "tcp://10.0.0.1:2375", false, new Dictionary<string, byte[]>());
        Store.SetCurrentContext("remote");

        Assert.Equal("remote\n", (await RunAsync([], "context", "show")).Out);
        Assert.Equal("default\n", (await RunAsync(new() { ["DOCKER_HOST"] = "unix:///x.sock" }, "context", "show")).Out);
        Assert.Equal("remote\n", (await RunAsync([], "--context", "remote", "context", "show")).Out);
    }

    [Fact]
    public async Task Update_ChangesOnlyTheGivenKeys_AndKeepsTlsFiles()
    {
        Store.Save("t1", "old", "tcp://10.0.0.1:2376", false, new Dictionary<string, byte[]> { ["ca.pem"] = "CA"u8.ToArray() });

        var described = await RunAsync([], "context", "update", "--description", "new", "t1");
        var moved = await RunAsync([], "context", "update", "--docker", "host=tcp://10.0.0.2:2376", "t1");

        Assert.Equal((0, "t1\n", "Successfully updated context \"t1\"\n"), described);
        Assert.Equal(0, moved.Code);
        var updated = Store.Get("t1");
        Assert.Equal("new", updated.Description);
        Assert.Equal("tcp://10.0.0.2:2376", updated.Host);
        Assert.Equal(["ca.pem"], updated.TlsFiles);
    }

    [Fact]
    public async Task Update_MissingOrDefaultContext_SaysSoAndChangesNothing()
    {
        var missing = await RunAsync([], "context", "update", "--description", "x", "nope");
        var reserved = await RunAsync([], "context", "update", "--description", "x", "default");

        Assert.Equal(1, missing.Code);
        Assert.Contains("context \"nope\" does not exist", missing.Err, StringComparison.Ordinal);
        Assert.Equal(1, reserved.Code);
        Assert.Contains("cannot be updated", reserved.Err, StringComparison.Ordinal);
        Assert.Empty(Store.List());
    }
}
