using System.Buffers.Binary;
using System.Text;
using Wharf.Core.Logs;

namespace Wharf.EndToEnd.Tests;

/// <summary>The "local" logging driver end to end: the shim writes Docker's framed protobuf records, rotates and
/// gzips them, and docker logs reads them back with --tail, --since and -f.</summary>
[Collection(DaemonCollection.Name)]
public sealed class LocalLogDriverTests(DaemonFixture daemon)
{
    private static string Name(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task Logs_LocalDriver_WritesDockersRecordsRotatesAndReadsBack()
    {
        var name = Name("local-rotate");
        // The pauses order the streams: stdout and stderr are separate pipes, read independently.
        var run = await daemon.DockerAsync("run", "--name", name, "--log-driver", "local", "--log-opt", "max-size=1k", "--log-opt", "max-file=3",
            "busybox", "sh", "-c", "for i in $(seq 1 150); do echo local-$i; done; sleep 0.3; echo oops >&2; sleep 0.3; printf no-newline");
        Assert.True(run.ExitCode == 0, run.ToString());
        try
        {
            var id = (await daemon.DockerAsync("inspect", "-f", "{{.Id}}", name)).Stdout.Trim();
            var dir = Path.Combine(daemon.DataRoot, "containers", id, "local-logs");
            // compress defaults to true for local, as Docker's
            Assert.Equal(["container.log", "container.log.1.gz", "container.log.2.gz"],
                Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.All(Directory.GetFiles(dir), f => Assert.True(new FileInfo(f).Length <= 1024, f));

            // The live file is a sequence of [len][protobuf][len] records, the newline not stored.
            var bytes = File.ReadAllBytes(Path.Combine(dir, "container.log"));
            var records = new List<LocalLogRecord>();
            var at = 0;
            while (at < bytes.Length)
            {
                var size = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));
                Assert.Equal((uint)size, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at + 4 + size)));
                Assert.True(LocalLogCodec.TryDecode(bytes.AsSpan(at), out var record, out var consumed));
                records.Add(record);
                at += consumed;
            }
            Assert.Equal(("stderr", "oops", false), (records[^2].Source, Encoding.UTF8.GetString(records[^2].Line), records[^2].Partial));
            Assert.Equal(("stdout", "no-newline", true), (records[^1].Source, Encoding.UTF8.GetString(records[^1].Line), records[^1].Partial));
            Assert.InRange(records[^1].Time, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddSeconds(5));

            var logs = await daemon.DockerAsync("logs", name);
            var lines = logs.Stdout.Split('\n');
            Assert.Equal("no-newline", lines[^1]);
            Assert.Equal("local-150", lines[^2]);
            var first = int.Parse(lines[0]["local-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(first > 1, "the oldest lines must have been rotated away");
            Assert.Equal(Enumerable.Range(first, 151 - first).Select(i => $"local-{i}"), lines[..^1]);
            Assert.Equal("oops\n", logs.Stderr);

            // --tail counts records of both streams: local-150, oops (stderr), no-newline.
            var tail = await daemon.DockerAsync("logs", "--tail", "3", name);
            Assert.Equal("local-150\nno-newline", tail.Stdout);
            Assert.Equal("oops\n", tail.Stderr);
            Assert.Equal("", (await daemon.DockerAsync("logs", "--since", "2099-01-01T00:00:00Z", name)).Stdout);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task Logs_LocalDriverFollowThroughRotation_SeesEveryLineOnce()
    {
        var name = Name("local-follow");
        var start = await daemon.DockerAsync("run", "-d", "--name", name, "--log-driver", "local", "--log-opt", "max-size=1k", "--log-opt", "max-file=20",
            "busybox", "sh", "-c", "sleep 0.5; for i in $(seq 1 80); do echo follow-$i; sleep 0.02; done");
        Assert.True(start.ExitCode == 0, start.ToString());
        try
        {
            var follow = await daemon.DockerAsync("logs", "-f", "-t", name);
            Assert.True(follow.ExitCode == 0, follow.ToString());
            var lines = follow.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(Enumerable.Range(1, 80).Select(i => $"follow-{i}"), lines.Select(l => l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..]));
            Assert.All(lines, l => Assert.EndsWith("Z", l[..l.IndexOf(' ', StringComparison.Ordinal)]));
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }
}
