using System.Formats.Tar;
using System.Text;
using Wharf.Api.Client;
using Wharf.Api.Streams;
using Wharf.Cli.Output;

namespace Wharf.Cli.Tests;

/// <summary>Progress on long work: docker's bar layout with sizes, speed and time left on a terminal, plain lines
/// elsewhere or with --progress plain, nothing with quiet; cp's byte counter and closing line; errors mid-way.</summary>
public sealed class ProgressOutputTests
{
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static JsonMessage Counts(long current, long total) => new() { ProgressDetail = new JsonProgress { Current = current, Total = total } };

    [Fact]
    public void ProgressText_WideTerminal_DrawsMobysBar()
    {
        Assert.Equal("[=========================>                         ]     500B/1kB", ProgressPrinter.ProgressText(Counts(500, 1000)));
        Assert.Equal("[==================================================>]      1kB/1kB", ProgressPrinter.ProgressText(Counts(1000, 1000)));
    }

    [Fact]
    public void ProgressText_NarrowTerminal_ShowsOnlyTheNumbers()
    {
        Assert.Equal("    500B/1kB", ProgressPrinter.ProgressText(Counts(500, 1000), width: 80));
        Assert.Equal("   1.5kB", ProgressPrinter.ProgressText(Counts(1500, 1000), width: 80));
    }

    [Fact]
    public void ProgressText_WithAStart_AddsSpeedAndTimeLeft()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(1_000_000);

        var text = ProgressPrinter.ProgressText(Counts(1_000_000, 3_000_000), 80, start.AddSeconds(2), start);

        Assert.Equal("     1MB/3MB 500kB/s 4s", text);
    }

    [Theory]
    [InlineData(4, "4s")]
    [InlineData(90, "1m30s")]
    [InlineData(7200, "2h0m0s")]
    public void GoDurationText_IsGosDurationString(int seconds, string expected)
    {
        Assert.Equal(expected, ProgressPrinter.GoDurationText(TimeSpan.FromSeconds(seconds)));
    }

    private static MemoryStream Messages(params string[] lines) => new(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));

    private static readonly string[] PullStream =
    [
        """{"status":"Pulling from library/busybox","id":"latest"}""",
        """{"status":"Pulling fs layer","id":"l1"}""",
        """{"status":"Downloading","progressDetail":{"current":500,"total":1000},"id":"l1"}""",
        """{"status":"Download complete","id":"l1"}""",
        """{"status":"Digest: sha256:abc"}""",
    ];

    [Fact]
    public async Task Print_Plain_WritesStatusLinesWithoutProgressOrEscapes()
    {
        using var output = new StringWriter();

        await ProgressPrinter.PrintAsync(Messages(PullStream), output, CancellationToken.None, terminal: false);

        Assert.Equal("latest: Pulling from library/busybox\nl1: Pulling fs layer\nl1: Download complete\nDigest: sha256:abc\n", output.ToString());
    }

    [Fact]
    public async Task Print_Terminal_RewritesTheLayersLineInPlace()
    {
        using var output = new StringWriter();

        await ProgressPrinter.PrintAsync(Messages(PullStream), output, CancellationToken.None, terminal: true, width: 120);

        var text = output.ToString();
        Assert.StartsWith("\u001b[2K\rlatest: Pulling from library/busybox\n\u001b[2K\rl1: Pulling fs layer\n", text, StringComparison.Ordinal);
        Assert.Contains("\u001b[1A\u001b[2K\rl1: Downloading [=========================>", text, StringComparison.Ordinal);
        Assert.Contains("\u001b[1A\u001b[2K\rl1: Download complete\u001b[1B\r", text, StringComparison.Ordinal);
        Assert.EndsWith("Digest: sha256:abc\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Print_ErrorMidway_ThrowsWithTheBarsLeftIntact()
    {
        using var output = new StringWriter();
        var source = Messages(PullStream[1], PullStream[2], """{"errorDetail":{"message":"unexpected EOF"},"error":"unexpected EOF"}""");

        var error = await Assert.ThrowsAsync<EngineApiException>(() => ProgressPrinter.PrintAsync(source, output, CancellationToken.None, terminal: true));

        Assert.Equal("unexpected EOF", error.Message);
        // The cursor is back below the bars at the start of a line: the error message gets a line of its own.
        Assert.EndsWith("\u001b[1B\r", output.ToString(), StringComparison.Ordinal);
    }

    private static FakeDaemon PullDaemon() =>
        new((request, socket) => request.Path.EndsWith("/images/create", StringComparison.Ordinal)
            ? FakeDaemon.RespondAsync(socket, 200, string.Join('\n', PullStream) + "\n")
            : FakeDaemon.RespondAsync(socket, 404, """{"message":"no"}"""));

    private static async Task<(int Code, string Out, string Err)> RunOnTerminalAsync(FakeDaemon daemon, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(["-H", daemon.Host, .. args], output, error, _ => null, TimeProvider.System,
            () => new MemoryStream(), () => new MemoryStream(), () => Stream.Null, stdoutIsTerminal: true, stderrIsTerminal: true, terminalWidth: 120);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Pull_OnATerminal_DrawsBars_UnlessProgressPlainOrQuiet()
    {
        await using var daemon = PullDaemon();

        var bars = await RunOnTerminalAsync(daemon, "pull", "busybox:latest");
        var plain = await RunOnTerminalAsync(daemon, "pull", "--progress", "plain", "busybox:latest");
        var quiet = await RunOnTerminalAsync(daemon, "pull", "--progress", "quiet", "busybox:latest");

        Assert.Contains("\u001b[2K", bars.Out, StringComparison.Ordinal);
        Assert.Contains("[=========================>", bars.Out, StringComparison.Ordinal);
        Assert.Equal("latest: Pulling from library/busybox\nl1: Pulling fs layer\nl1: Download complete\nDigest: sha256:abc\ndocker.io/library/busybox:latest\n", plain.Out);
        Assert.Equal("docker.io/library/busybox:latest\n", quiet.Out);
    }

    private static readonly string[] PushStream =
    [
        """{"status":"The push refers to repository [127.0.0.1:5000/app]"}""",
        """{"status":"Preparing","progressDetail":{},"id":"l1"}""",
        """{"status":"Pushing","progressDetail":{"current":500,"total":1000},"id":"l1"}""",
        """{"status":"Pushed","progressDetail":{},"id":"l1"}""",
        """{"status":"v1: digest: sha256:abc size: 527"}""",
    ];

    private static readonly string[] LoadStream =
    [
        """{"status":"Loading layer","progressDetail":{"current":500,"total":1000},"id":"l1"}""",
        """{"stream":"Loaded image: busybox:latest\n"}""",
    ];

    /// <summary>push and load answer the same way as pull: bars on a terminal, docker's plain lines with --progress plain.</summary>
    [Theory]
    [InlineData("push", "The push refers to repository [127.0.0.1:5000/app]\nl1: Preparing\nl1: Pushed\nv1: digest: sha256:abc size: 527\n")]
    [InlineData("load", "Loaded image: busybox:latest\n")]
    public async Task PushAndLoad_OnATerminal_DrawBars_AndPlainLinesWithProgressPlain(string verb, string plainOutput)
    {
        var stream = verb == "push" ? PushStream : LoadStream;
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 200, string.Join('\n', stream) + "\n"));
        string[] args = verb == "push" ? ["push", "127.0.0.1:5000/app:v1"] : ["load"];

        var bars = await RunOnTerminalAsync(daemon, args);
        var plain = await RunOnTerminalAsync(daemon, [args[0], "--progress", "plain", .. args[1..]]);

        Assert.True(bars.Code == 0, bars.Err);
        Assert.Contains("\u001b[2K\rl1: " + (verb == "push" ? "Pushing" : "Loading layer") + " [=========================>", bars.Out, StringComparison.Ordinal);
        Assert.Equal(plainOutput, plain.Out);
        Assert.DoesNotContain("\u001b", plain.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_ErrorMidway_LeavesTheBarsAndPrintsTheErrorOnItsOwnLine()
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 200, string.Join('\n', PushStream[..3])
            + "\n{\"errorDetail\":{\"message\":\"blob upload unknown\"},\"error\":\"blob upload unknown\"}\n"));

        var run = await RunOnTerminalAsync(daemon, "push", "127.0.0.1:5000/app:v1");

        Assert.Equal(1, run.Code);
        Assert.Contains("l1: Pushing [=========================>", run.Out, StringComparison.Ordinal);
        Assert.EndsWith("\u001b[1B\r", run.Out, StringComparison.Ordinal); // the cursor is below the bars, at a line start
        Assert.EndsWith("blob upload unknown\n", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_ToAFile_OnATerminal_CountsBytesThenClearsTheLine_QuietPrintsNothing()
    {
        var tar = SmallTar();
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 200, tar, "application/x-tar"));
        var dir = Directory.CreateTempSubdirectory("wharf-save-");
        try
        {
            var live = await RunOnTerminalAsync(daemon, "save", "-o", Path.Combine(dir.FullName, "a.tar"), "busybox");
            var quiet = await RunOnTerminalAsync(daemon, "save", "--progress", "quiet", "-o", Path.Combine(dir.FullName, "b.tar"), "busybox");

            Assert.True(live.Code == 0, live.Err);
            Assert.Equal(tar.Length, new FileInfo(Path.Combine(dir.FullName, "a.tar")).Length);
            Assert.StartsWith("\u001b[2K\rWriting archive - ", live.Err, StringComparison.Ordinal);
            Assert.EndsWith("\u001b[2K\r", live.Err, StringComparison.Ordinal); // cleared: docker's save prints nothing once done
            Assert.Equal(0, quiet.Code);
            Assert.Equal("", quiet.Err);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Progress_UnknownValue_IsAUsageErrorNamingTheChoices()
    {
        await using var daemon = PullDaemon();

        var run = await RunOnTerminalAsync(daemon, "pull", "--progress", "fancy", "busybox");

        Assert.Equal(1, run.Code);
        Assert.Contains("invalid argument \"fancy\" for \"--progress\" flag: must be one of auto, plain, tty, quiet", run.Err, StringComparison.Ordinal);
        Assert.Empty(daemon.Requests);
    }

    private static string SmallTar()
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true))
        {
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "x") { DataStream = new MemoryStream("hello"u8.ToArray()) });
        }

        return Encoding.ASCII.GetString(buffer.ToArray());
    }

    [Fact]
    public async Task CpFromContainer_EndsWithDockersSuccessLine_AndQuietPrintsNothing()
    {
        var tar = SmallTar();
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 200, tar, "application/x-tar"));
        var dir = Directory.CreateTempSubdirectory("wharf-cp-");
        try
        {
            var target = Path.Combine(dir.FullName, "copy");

            var run = await CliRun.Async(daemon, ["cp", "c1:/x", target]);
            var quiet = await CliRun.Async(daemon, ["cp", "-q", "c1:/x", target + "2"]);

            Assert.True(run.ExitCode == 0, run.Err);
            Assert.Equal("hello", await File.ReadAllTextAsync(target));
            Assert.Equal($"Successfully copied {TransferMeter.Size(tar.Length)} to {target}\n", run.Err);
            Assert.Equal(0, quiet.ExitCode);
            Assert.Equal("", quiet.Err);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task TransferMeter_Live_RedrawsAtMostEvery100msAndClearsItsLine()
    {
        var time = new FixedTime(DateTimeOffset.UnixEpoch);
        using var output = new StringWriter();
        var meter = new TransferMeter(output, live: true, "Copying to container - ", time);
        using var sink = new MemoryStream();
        await using var metered = new MeteredStream(sink, meter);

        await metered.WriteAsync(new byte[1000]);
        await metered.WriteAsync(new byte[1000]); // same instant: not redrawn
        time.Now = time.Now.AddMilliseconds(150);
        await metered.WriteAsync(new byte[1000]);
        await meter.FinishAsync("Successfully copied 3kB to c1:/x");

        Assert.Equal(3000, sink.Length);
        Assert.Equal("\u001b[2K\rCopying to container - 1kB\u001b[2K\rCopying to container - 3kB\u001b[2K\rSuccessfully copied 3kB to c1:/x\n", output.ToString());
    }

    [Fact]
    public async Task TransferMeter_NotLive_WritesOnlyTheClosingLine()
    {
        using var output = new StringWriter();
        var meter = new TransferMeter(output, live: false, "Copying from container - ", TimeProvider.System);

        meter.Add(2048);
        await meter.FinishAsync("Successfully copied 2.05kB to ./x");

        Assert.Equal("Successfully copied 2.05kB to ./x\n", output.ToString());
    }
}
