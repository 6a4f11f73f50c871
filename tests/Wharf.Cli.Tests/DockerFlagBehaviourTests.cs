using Wharf.Cli.Commands;
using Wharf.Cli.Output;

namespace Wharf.Cli.Tests;

/// <summary>The flags the help parity test made wharf declare as docker does also behave as docker's: bools with
/// "(default true)", the -t shorthand, history/system df --format, network inspect -v, --disable-content-trust.</summary>
public sealed class DockerFlagBehaviourTests
{
    private static FakeDaemon Answering(string body) => new((_, socket) => FakeDaemon.RespondAsync(socket, 200, body));

    [Fact]
    public async Task Stop_ShortT_IsTheTimeout_AndTheOldTimeSpellingStillWorks()
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 204));

        var shorthand = await CliRun.Async(daemon, ["stop", "-t", "5", "c1"]);
        var old = await CliRun.Async(daemon, ["restart", "--time", "7", "c1"]);

        Assert.True(shorthand.ExitCode == 0, shorthand.Err);
        Assert.True(old.ExitCode == 0, old.Err);
        var targets = daemon.Requests.Select(r => r.Target).ToList();
        Assert.Equal("/v1.50/containers/c1/stop?t=5", targets[0]);
        Assert.Equal("/v1.50/containers/c1/restart?t=7", targets[1]);
        Assert.DoesNotContain("--time ", HelpText.Command(CommandCatalog.Default.BySpelling["stop"], "stop"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commit_PauseDefaultsToTrue_AndPauseFalseIsSent()
    {
        await using var daemon = Answering("""{"Id":"sha256:abc"}""");

        await CliRun.Async(daemon, ["commit", "c1"]);
        await CliRun.Async(daemon, ["commit", "--pause=false", "c1"]);

        var targets = daemon.Requests.Select(r => r.Target).ToList();
        Assert.Contains("pause=1", targets[0], StringComparison.Ordinal);
        Assert.Contains("pause=0", targets[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attach_SigProxyIsABool_SoTheContainerNameIsNotTakenAsItsValue()
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 404, """{"message":"No such container: c1"}"""));

        var run = await CliRun.Async(daemon, ["attach", "--sig-proxy", "c1"]);

        Assert.Contains("No such container: c1", run.Err, StringComparison.Ordinal);
        Assert.StartsWith("/v1.50/containers/c1/", daemon.Requests.First().Path, StringComparison.Ordinal);
    }

    private const string History = """
        [{"Id":"sha256:0123456789abcdef0123","Created":1700000000,"CreatedBy":"/bin/sh -c #(nop) ADD file:1234 in /","Size":4261550,"Comment":""},
         {"Id":"<missing>","Created":1700000000,"CreatedBy":"CMD [\"sh\"]","Size":0,"Comment":"hi"}]
        """;

    [Fact]
    public async Task History_Format_RendersDockersFields()
    {
        await using var daemon = Answering(History);

        var run = await CliRun.Async(daemon, ["history", "--format", "{{.ID}}|{{.Size}}|{{.Comment}}", "busybox"]);

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Equal("0123456789ab|4.26MB|\n<missing>|0B|hi\n", run.Out);
        Assert.Equal("/v1.50/images/busybox/history", daemon.Requests.First().Path);
    }

    [Fact]
    public async Task History_HumanFalse_PrintsBytesAndRfc3339Dates()
    {
        await using var daemon = Answering(History);

        var run = await CliRun.Async(daemon, ["history", "--human=false", "--format", "{{.CreatedSince}}|{{.Size}}", "busybox"]);

        Assert.True(run.ExitCode == 0, run.Err);
        var first = run.Out.Split('\n')[0].Split('|');
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), DateTimeOffset.Parse(first[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$", first[0]);
        Assert.Equal("4261550", first[1]);
    }

    [Fact]
    public async Task History_DefaultTable_HasDockersHeader()
    {
        await using var daemon = Answering(History);

        var run = await CliRun.Async(daemon, ["history", "busybox"]);

        Assert.StartsWith("IMAGE          CREATED", run.Out, StringComparison.Ordinal);
        Assert.Contains("CREATED BY", run.Out.Split('\n')[0], StringComparison.Ordinal);
        Assert.Contains("/bin/sh -c #(nop) ADD file:1234 in /", run.Out, StringComparison.Ordinal);
    }

    private const string DiskUsage = """
        {"LayersSize":2000,"Images":[{"Id":"sha256:aa","Containers":0,"Size":2000,"SharedSize":0,"RepoTags":["x:1"],"Created":1}],
         "Containers":[],"Volumes":[],"BuildCache":[]}
        """;

    [Fact]
    public async Task SystemDf_Format_RendersTheSummaryRows()
    {
        await using var daemon = Answering(DiskUsage);

        var plain = await CliRun.Async(daemon, ["system", "df", "--format", "{{.Type}} {{.TotalCount}} {{.Size}} {{.Reclaimable}}"]);
        var table = await CliRun.Async(daemon, ["system", "df"]);

        Assert.True(plain.ExitCode == 0, plain.Err);
        Assert.StartsWith("Images 1 2kB 2kB (100%)\nContainers 0 0B 0B (0%)\n", plain.Out, StringComparison.Ordinal);
        Assert.StartsWith("TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE\nImages          1         0         2kB       2kB (100%)\n", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SystemDf_FormatWithVerbose_IsRefusedWithTheWayOut()
    {
        await using var daemon = Answering(DiskUsage);

        var run = await CliRun.Async(daemon, ["system", "df", "-v", "--format", "json"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("without --verbose", run.Err, StringComparison.Ordinal);
        Assert.Empty(daemon.Requests);
    }

    [Fact]
    public async Task NetworkInspect_Verbose_AsksTheDaemonForDiagnostics()
    {
        await using var daemon = Answering("""{"Name":"n1","Id":"abc"}""");

        var run = await CliRun.Async(daemon, ["network", "inspect", "-v", "--format", "{{.Name}}", "n1"]);

        Assert.Equal("n1\n", run.Out);
        Assert.Equal("/v1.50/networks/n1?verbose=true", daemon.Requests.First().Target);
    }

    [Theory]
    [InlineData("pull")]
    [InlineData("push")]
    [InlineData("run")]
    public async Task DisableContentTrust_DefaultIsAccepted_AndFalseIsRefusedBeforeAskingTheDaemon(string verb)
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 500, """{"message":"boom"}"""));

        var refused = await CliRun.Async(daemon, [verb, "--disable-content-trust=false", "busybox"]);
        var accepted = await CliRun.Async(daemon, [verb, "--disable-content-trust", "busybox"]);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("content trust", refused.Err, StringComparison.Ordinal);
        Assert.Contains("pull it by digest", refused.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown flag", accepted.Err, StringComparison.Ordinal);
        Assert.NotEmpty(daemon.Requests); // only the accepted one reached the daemon
    }

    [Fact]
    public async Task NetworkCreate_AuxAddressIpamOptAndIpv4_ReachTheRequest()
    {
        await using var daemon = Answering("""{"Id":"n1"}""");

        var run = await CliRun.Async(daemon, ["network", "create", "--subnet", "10.9.0.0/24", "--aux-address", "router=10.9.0.5", "--ipam-opt", "k=v", "--ipv4=false", "--ipv6", "n1"]);

        Assert.True(run.ExitCode == 0, run.Err);
        var body = daemon.Requests.Single().Body;
        Assert.Contains("\"AuxiliaryAddresses\":{\"router\":\"10.9.0.5\"}", body, StringComparison.Ordinal);
        Assert.Contains("\"Options\":{\"k\":\"v\"}", body, StringComparison.Ordinal);
        Assert.Contains("\"EnableIPv4\":false", body, StringComparison.Ordinal);
        Assert.Contains("\"EnableIPv6\":true", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NetworkCreate_AuxAddressOutsideEverySubnet_IsRefusedBeforeAsking()
    {
        await using var daemon = Answering("""{"Id":"n1"}""");

        var run = await CliRun.Async(daemon, ["network", "create", "--subnet", "10.9.0.0/24", "--aux-address", "r=10.8.0.5", "n1"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no matching subnet for aux-address 10.8.0.5", run.Err, StringComparison.Ordinal);
        Assert.Empty(daemon.Requests);
    }

    [Fact]
    public void Help_ShowsPflagDefaults()
    {
        var help = HelpText.Command(CommandCatalog.Default.BySpelling["ps"], "ps");
        var run = HelpText.Command(CommandCatalog.Default.BySpelling["run"], "run");

        Assert.Contains("  -n, --last int ", help, StringComparison.Ordinal);
        Assert.Contains("(includes all states) (default -1)\n", help, StringComparison.Ordinal);
        Assert.Contains("(\"always\", \"missing\", \"never\") (default \"missing\")\n", run, StringComparison.Ordinal);
        Assert.Contains("Proxy received signals to the process (default true)\n", run, StringComparison.Ordinal);
    }
}
