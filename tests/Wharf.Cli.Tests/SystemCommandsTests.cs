using System.Diagnostics;
using Wharf.Api.Client;

namespace Wharf.Cli.Tests;

public sealed class SystemCommandsTests
{
    [Fact]
    public async Task SystemPrune_ForceAllVolumes_PrunesEachKindAndReportsTotal()
    {
        await using var daemon = new FakeDaemon((request, socket) => request.Path switch
        {
            "/v1.50/containers/prune" => FakeDaemon.RespondAsync(socket, 200, """{"ContainersDeleted":["c1"],"SpaceReclaimed":1000}"""),
            "/v1.50/volumes/prune" => FakeDaemon.RespondAsync(socket, 200, """{"VolumesDeleted":["v1"],"SpaceReclaimed":2000}"""),
            "/v1.50/networks/prune" => FakeDaemon.RespondAsync(socket, 200, """{"NetworksDeleted":["n1"]}"""),
            "/v1.50/images/prune" => FakeDaemon.RespondAsync(socket, 200, """{"ImagesDeleted":[{"Untagged":"x:1"},{"Deleted":"sha256:ab"}],"SpaceReclaimed":3000}"""),
            _ => FakeDaemon.RespondAsync(socket, 404, """{"message":"page not found"}"""),
        });

        var run = await CliRun.Async(daemon, ["system", "prune", "-af", "--volumes", "--filter", "label=a"]);

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Equal("Deleted Containers:\nc1\n\nDeleted Volumes:\nv1\n\nDeleted Networks:\nn1\n\nDeleted Images:\nuntagged: x:1\ndeleted: sha256:ab\n\nTotal reclaimed space: 6kB\n", run.Out);
        var requests = daemon.Requests.ToList();
        Assert.Equal(["/v1.50/containers/prune", "/v1.50/volumes/prune", "/v1.50/networks/prune", "/v1.50/images/prune", "/v1.50/build/prune"], requests.Select(r => r.Path));
        Assert.Contains("dangling", Uri.UnescapeDataString(requests[3].Target), StringComparison.Ordinal);
        Assert.Contains("\"dangling\":{\"false\":true}", Uri.UnescapeDataString(requests[3].Target), StringComparison.Ordinal);
        Assert.Contains("\"label\":{\"a\":true}", Uri.UnescapeDataString(requests[0].Target), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SystemPrune_Declined_TouchesNothing()
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 500));

        var run = await CliRun.Async(daemon, ["system", "prune"], "n\n"u8.ToArray());

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all dangling images\n  - unused build cache\n", run.Out, StringComparison.Ordinal);
        Assert.EndsWith("Are you sure you want to continue? [y/N] ", run.Out, StringComparison.Ordinal);
        Assert.Empty(daemon.Requests);
    }

    [Fact]
    public async Task Info_SystemSpelling_AsksTheDaemon()
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 200, """{"Name":"host-x","ServerVersion":"1.0"}"""));

        var run = await CliRun.Async(daemon, ["system", "info", "--format", "{{.Name}}"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("host-x\n", run.Out);
        Assert.Equal("/v1.50/info", Assert.Single(daemon.Requests).Path);
    }

    [Fact]
    public void CannotConnect_MissingSocket_SaysSoAndHowToPickAnother()
    {
        var message = CliApp.CannotConnectMessage(DockerEndpoint.Unix("/nonexistent/w.sock"), new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.AddressNotAvailable));

        Assert.Equal("Cannot connect to the Wharf daemon at unix:///nonexistent/w.sock. Is the wharf daemon running? (socket /nonexistent/w.sock does not exist; start wharfd, or pick another daemon with -H, WHARF_HOST or --context)", message);
    }

    [Fact]
    public void CannotConnect_PermissionDenied_NamesTheCause()
    {
        var files = new Dictionary<string, string> { ["/etc/group"] = "root:x:0:\nwharf:x:997:alice\n", ["/proc/self/status"] = "Name:\twharf\nGroups:\t24 27 \n" };
        var message = CliApp.CannotConnectMessage(DockerEndpoint.Unix("/run/x.sock"), new HttpRequestException("x", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.AccessDenied)), files.GetValueOrDefault);

        Assert.StartsWith("permission denied while trying to connect to the Wharf daemon socket at unix:///run/x.sock", message, StringComparison.Ordinal);
        Assert.Contains("you are not in the group 'wharf' that may use the socket: run 'sudo usermod -aG wharf $USER' and log in again", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PullNeverMissingImage_SaysHowToGetIt()
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 404, """{"message":"No such image: ghost:latest"}"""));

        var run = await CliRun.Async(daemon, ["run", "--pull", "never", "ghost"]);

        Assert.Equal(125, run.ExitCode);
        Assert.Contains("No such image: ghost:latest (image 'ghost:latest' not found locally; pull it with 'wharf pull ghost:latest' or build it with 'wharf build')", run.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("zsh")]
    [InlineData("fish")]
    public async Task Completion_EveryShell_PrintsAScriptNamingCommandsAndFlags(string shell)
    {
        var run = await CliRun.Async(null, ["completion", shell]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("container", run.Out, StringComparison.Ordinal);
        Assert.Contains("--no-trunc", shell == "fish" ? run.Out.Replace("-l no-trunc", "--no-trunc", StringComparison.Ordinal) : run.Out, StringComparison.Ordinal);
        Assert.Contains("ps -a --format '{{.Names}}'", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wharf container l", "ls")]
    [InlineData("wharf ps --no-t", "--no-trunc")]
    [InlineData("wharf netw", "network")]
    [InlineData("wharf stop ", "web-1")]
    [InlineData("wharf rmi ", "busybox:latest")]
    [InlineData("wharf -H unix:///x image ", "prune")]
    [InlineData("wharf network rm ", "net-a")]
    [InlineData("wharf network connect ", "net-a")]
    [InlineData("wharf volume inspect ", "vol-a")]
    [InlineData("wharf inspect ", "web-1")]
    [InlineData("wharf inspect ", "busybox:latest")]
    [InlineData("wharf run --rm ", "busybox:latest")]
    [InlineData("wharf -H unix:///other.sock stop ", "on-other-daemon")]
    [InlineData("wharf --context=remote rm ", "in-remote-context")]
    public async Task Completion_Bash_CompletesWordsFlagsAndDaemonNames(string line, string expected)
    {
        var script = (await CliRun.Async(null, ["completion", "bash"])).Out;
        var dir = Directory.CreateTempSubdirectory("wharf-completion-");
        try
        {
            // A stand-in wharf on PATH answers the name queries the script makes while completing.
            var fake = Path.Combine(dir.FullName, "wharf");
            // Names are asked of the daemon the line names (-H, --context), so the stand-in answers per daemon.
            File.WriteAllText(fake, "#!/bin/sh\ncase \"$*\" in\n  '-H unix:///other.sock ps'*) echo on-other-daemon ;;\n  '--context=remote ps'*) echo in-remote-context ;;\n"
                + "  -*) exit 1 ;;\n  *ps*) echo web-1 ;;\n  *images*) echo busybox:latest ;;\n  *network*) echo net-a ;;\n  *volume*) echo vol-a ;;\nesac\n");
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.WriteAllText(Path.Combine(dir.FullName, "completion.bash"), script);
            var words = line.Split(' ');
            var driver = "source completion.bash\nCOMP_WORDS=(" + string.Join(' ', words.Select(w => "'" + w + "'")) + ")\n"
                + $"COMP_CWORD={words.Length - 1}\n_wharf\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n";
            var start = new ProcessStartInfo("bash", ["-c", driver]) { WorkingDirectory = dir.FullName, RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["PATH"] = dir.FullName + ":" + Environment.GetEnvironmentVariable("PATH");
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            Assert.True(process.ExitCode == 0, error);
            Assert.Contains(expected, output.Split('\n'));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task NetworkLs_Format_RendersDockersFields()
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 200,
            """[{"Name":"b-net","Id":"0123456789abcdef0123","Driver":"bridge","Scope":"local","Internal":true,"Labels":{"k":"v"}},{"Name":"a-net","Id":"fedcba9876543210fedc","Driver":"host","Scope":"local"}]"""));

        var plain = await CliRun.Async(daemon, ["network", "ls", "--format", "{{.Name}} {{.ID}} {{.Internal}} {{.Labels}}"]);
        var table = await CliRun.Async(daemon, ["network", "list", "--format", "table {{.Name}}\t{{.Driver}}"]);

        Assert.Equal("a-net fedcba987654 false \nb-net 0123456789ab true k=v\n", plain.Out);
        Assert.Matches(@"^NAME\s+DRIVER\na-net\s+host\nb-net\s+bridge\n$", table.Out);
    }

    [Fact]
    public async Task Restart_DeprecatedTimeout_IsSentAsT()
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 204));

        var run = await CliRun.Async(daemon, ["restart", "--timeout", "7", "c1"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("/v1.50/containers/c1/restart?t=7", Assert.Single(daemon.Requests).Target);
    }

    [Fact]
    public void ProgressText_CountsOnly_DrawsDockersBar()
    {
        var text = Output.ProgressPrinter.ProgressText(new Api.Streams.JsonMessage { ProgressDetail = new Api.Streams.JsonProgress { Current = 500, Total = 1000 } });

        Assert.Equal("[=========================>                         ]     500B/1kB", text);
    }

    [Fact]
    public void Rewrite_KnownLayer_MovesUpClearsAndComesBack()
    {
        var ids = new List<string>();

        Assert.Equal("\u001b[2K\rl1: Waiting\n", Output.ProgressPrinter.Rewrite(ids, "l1", "l1: Waiting"));
        Assert.Equal("\u001b[2K\rl2: Waiting\n", Output.ProgressPrinter.Rewrite(ids, "l2", "l2: Waiting"));
        Assert.Equal("\u001b[2A\u001b[2K\rl1: Done\u001b[2B\r", Output.ProgressPrinter.Rewrite(ids, "l1", "l1: Done"));
    }
}
