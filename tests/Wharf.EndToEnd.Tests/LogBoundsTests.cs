using System.Globalization;

namespace Wharf.EndToEnd.Tests;

/// <summary>Endless output lines: the shim's memory stays bounded (lines are split at 16 KiB as Docker does), the
/// container's exit is recorded and stop/rm work, and `logs --tail` of the resulting 300 MB log reads only its end.</summary>
[Collection(DaemonCollection.Name)]
public sealed class LogBoundsTests(DaemonFixture daemon)
{
    private const long LineBytes = 300_000_000;

    /// <summary>A field of /proc/&lt;pid&gt;/status in bytes ("VmHWM:  1234 kB"); null once the process is gone.</summary>
    private static long? StatusBytes(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
        }
        return null;
    }

    [Fact]
    public async Task Run_300MBWithoutANewline_ShimStaysSmallExitIsRecordedAndTailReadsOnlyTheEnd()
    {
        var name = "endless-" + Guid.NewGuid().ToString("N")[..6];
        var run = await daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sh", "-c",
            $"yes | tr -d '\\n' | head -c {LineBytes}; exit 3");
        Assert.True(run.ExitCode == 0, run.ToString());
        try
        {
            var id = run.Stdout.Trim();
            var shimPid = int.Parse(File.ReadAllText(Path.Combine(daemon.ExecRoot, "containers", id, "shim.pid")), CultureInfo.InvariantCulture);
            // VmHWM is the peak: its last reading before the shim exits is the shim's high-water mark.
            long peak = 0;
            var deadline = DateTime.UtcNow.AddMinutes(8);
            while (StatusBytes(shimPid, "VmHWM") is { } hwm && DateTime.UtcNow < deadline)
            {
                peak = Math.Max(peak, hwm);
                await Task.Delay(50);
            }
            Assert.True(peak > 0, "the shim was measured");
            Assert.True(peak < 64L * 1024 * 1024, $"shim peak RSS {peak / (1024 * 1024)} MB");

            var wait = await daemon.DockerAsync("wait", name);
            Assert.Equal("3", wait.Stdout.Trim());
            var state = await daemon.DockerAsync("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name);
            Assert.Equal("exited 3", state.Stdout.Trim());

            var log = Path.Combine(daemon.DataRoot, "containers", id, id + "-json.log");
            Assert.True(new FileInfo(log).Length > LineBytes, "the whole line was logged");
            var before = StatusBytes(daemon.DaemonPid, "VmRSS")!.Value;
            long daemonPeak = before;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    daemonPeak = Math.Max(daemonPeak, StatusBytes(daemon.DaemonPid, "VmRSS") ?? 0);
                    await Task.Delay(5);
                }
            });
            var tail = await daemon.DockerAsync("logs", "--tail", "1", name);
            await sampling.CancelAsync();
            await sampler;
            Assert.True(tail.ExitCode == 0, tail.ToString());
            // 300,000,000 = 18,310 pieces of 16 KiB + 8,960 bytes, the last piece, flushed at exit without a newline.
            Assert.Equal(new string('y', (int)(LineBytes % (16 * 1024))), tail.Stdout);
            var growth = daemonPeak - before;
            Assert.True(growth < 16L * 1024 * 1024, $"wharfd grew by {growth / 1024} KB for logs --tail 1");
            Console.WriteLine($"LogBoundsTests: shim peak RSS {peak / 1024} KB; wharfd RSS growth for --tail 1 of a {new FileInfo(log).Length / 1_000_000} MB log: {growth / 1024} KB");
        }
        finally
        {
            var rm = await daemon.DockerAsync("rm", "-f", name);
            Assert.True(rm.ExitCode == 0, rm.ToString());
        }
    }

    [Fact]
    public async Task Stop_WhileWritingAnEndlessLine_StopsAndRemoves()
    {
        var name = "endless-stop-" + Guid.NewGuid().ToString("N")[..6];
        var run = await daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sh", "-c", "yes | tr -d '\\n'");
        Assert.True(run.ExitCode == 0, run.ToString());
        try
        {
            await Task.Delay(2000); // megabytes of one line by now
            var stop = await daemon.DockerAsync("stop", "-t", "1", name);
            Assert.True(stop.ExitCode == 0, stop.ToString());
            var state = await daemon.DockerAsync("inspect", "-f", "{{.State.Status}}", name);
            Assert.Equal("exited", state.Stdout.Trim());
        }
        finally
        {
            var rm = await daemon.DockerAsync("rm", "-f", name);
            Assert.True(rm.ExitCode == 0, rm.ToString());
        }
    }
}
