using System.Formats.Tar;
using System.Text;
using Wharf.Cli.Commands.Images;

namespace Wharf.Cli.Tests;

public sealed class BuildCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("wharf-build-test-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static async Task<FakeDaemon> BuildDaemonAsync(string answer, List<(string Target, byte[] Body)> seen)
    {
        await Task.CompletedTask;
        return new FakeDaemon((request, socket) =>
        {
            lock (seen)
            {
                seen.Add((request.Target, Encoding.Latin1.GetBytes(request.Body)));
            }

            return FakeDaemon.RespondAsync(socket, 200, answer);
        });
    }

    private static Dictionary<string, string> TarEntries(byte[] tar)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry() is { } entry)
        {
            using var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            entries[entry.Name] = entry.EntryType + ":" + Encoding.UTF8.GetString(content.ToArray()) + ":" + entry.Uid;
        }

        return entries;
    }

    [Fact]
    public async Task Build_Directory_SendsTarTagsArgsAndPrintsStream()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "Dockerfile"), "FROM busybox\n");
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "sub"));
        File.WriteAllText(Path.Combine(_dir.FullName, "sub", "a.txt"), "A");
        File.CreateSymbolicLink(Path.Combine(_dir.FullName, "link"), "sub/a.txt");
        var seen = new List<(string Target, byte[] Body)>();
        await using var daemon = await BuildDaemonAsync(
            """
            {"stream":"Step 1/1 : FROM busybox\n"}
            {"aux":{"ID":"sha256:abcdef"}}
            {"stream":"Successfully built abcdef\n"}
            """, seen);
        var iid = Path.Combine(_dir.FullName, "..", _dir.Name + ".iid");

        try
        {
            var run = await CliRun.Async(daemon, ["build", "-t", "one:1", "-t", "two", "--build-arg", "A=1", "--build-arg", "FROM_ENV", "--build-arg", "UNSET",
                "--label", "k=v", "--target", "t1", "--no-cache", "--squash", "--pull", "--network", "host", "--add-host", "h:1.2.3.4", "--iidfile", iid, _dir.FullName],
                environment: n => n == "FROM_ENV" ? "env-value" : null);

            Assert.True(run.ExitCode == 0, run.Err);
            Assert.Contains("Step 1/1 : FROM busybox\nSuccessfully built abcdef\n", run.Out, StringComparison.Ordinal);
            Assert.StartsWith("Sending build context to Wharf daemon", run.Out, StringComparison.Ordinal);
            Assert.Equal("sha256:abcdef", File.ReadAllText(iid));
            var (target, body) = Assert.Single(seen);
            var query = Uri.UnescapeDataString(target);
            Assert.StartsWith("/v1.50/build?t=one:1&t=two&", query, StringComparison.Ordinal);
            Assert.Contains("buildargs={\"A\":\"1\",\"FROM_ENV\":\"env-value\"}", query, StringComparison.Ordinal);
            Assert.Contains("labels={\"k\":\"v\"}", query, StringComparison.Ordinal);
            Assert.Contains("&target=t1&nocache=1&squash=1&pull=1&", query, StringComparison.Ordinal);
            Assert.Contains("&networkmode=host&extrahosts=h:1.2.3.4", query, StringComparison.Ordinal);
            Assert.DoesNotContain("dockerfile=", query, StringComparison.Ordinal);
            var entries = TarEntries(body);
            Assert.Equal("RegularFile:FROM busybox\n:0", entries["Dockerfile"]);
            Assert.Equal("RegularFile:A:0", entries["sub/a.txt"]);
            Assert.StartsWith("Directory", entries["sub/"], StringComparison.Ordinal);
            Assert.StartsWith("SymbolicLink", entries["link"], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(iid);
        }
    }

    [Fact]
    public async Task Build_DockerfileFromStdin_AddsItUnderAGeneratedName()
    {
        var seen = new List<(string Target, byte[] Body)>();
        await using var daemon = await BuildDaemonAsync("""{"stream":"ok\n"}""", seen);

        var run = await CliRun.Async(daemon, ["build", "-q", "-f", "-", _dir.FullName], Encoding.UTF8.GetBytes("FROM scratch\n"));

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Equal("ok\n", run.Out);
        var (target, body) = Assert.Single(seen);
        var name = Uri.UnescapeDataString(target).Split('?', '&').Single(p => p.StartsWith("dockerfile=", StringComparison.Ordinal))["dockerfile=".Length..];
        Assert.StartsWith(".dockerfile.", name, StringComparison.Ordinal);
        Assert.Contains("q=1", target, StringComparison.Ordinal);
        Assert.Equal("RegularFile:FROM scratch\n:0", TarEntries(body)[name]);
    }

    [Fact]
    public async Task Build_DockerfileAsContextOnStdin_WrapsItInATar()
    {
        var seen = new List<(string Target, byte[] Body)>();
        await using var daemon = await BuildDaemonAsync("""{"stream":"ok\n"}""", seen);

        var run = await CliRun.Async(daemon, ["build", "-"], Encoding.UTF8.GetBytes("FROM scratch\n"));

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Equal("RegularFile:FROM scratch\n:0", TarEntries(Assert.Single(seen).Body)["Dockerfile"]);
    }

    [Fact]
    public async Task Build_FailingStep_PrintsMessageAndExitsWithItsCode()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "Dockerfile"), "FROM busybox\nRUN exit 3\n");
        var seen = new List<(string Target, byte[] Body)>();
        await using var daemon = await BuildDaemonAsync(
            """{"errorDetail":{"code":3,"message":"The command '/bin/sh -c exit 3' returned a non-zero code: 3"},"error":"The command '/bin/sh -c exit 3' returned a non-zero code: 3"}""", seen);

        var run = await CliRun.Async(daemon, ["build", _dir.FullName]);

        Assert.Equal(3, run.ExitCode);
        Assert.Equal("The command '/bin/sh -c exit 3' returned a non-zero code: 3\n", run.Err);
    }

    [Fact]
    public async Task Build_MissingContextOrDockerfile_FailsBeforeSending()
    {
        var seen = new List<(string Target, byte[] Body)>();
        await using var daemon = await BuildDaemonAsync("", seen);

        var noContext = await CliRun.Async(daemon, ["build", Path.Combine(_dir.FullName, "nope")]);
        var noDockerfile = await CliRun.Async(daemon, ["build", _dir.FullName]);
        var badTag = await CliRun.Async(daemon, ["build", "-t", "Bad:Tag", _dir.FullName]);

        Assert.Equal(1, noContext.ExitCode);
        Assert.StartsWith("unable to prepare context: path \"", noContext.Err, StringComparison.Ordinal);
        Assert.Equal(1, noDockerfile.ExitCode);
        Assert.Contains("Dockerfile: no such file or directory", noDockerfile.Err, StringComparison.Ordinal);
        Assert.Equal(1, badTag.ExitCode);
        Assert.Contains("invalid reference format", badTag.Err, StringComparison.Ordinal);
        Assert.Empty(seen);
    }

    [Fact]
    public void BuildArgs_NameOnly_TakesEnvironmentOrIsLeftOut()
    {
        var args = BuildCommand.BuildArgs(["A=1", "B", "C", "D="], n => n == "B" ? "b" : null);

        Assert.Equal(new Dictionary<string, string?> { ["A"] = "1", ["B"] = "b", ["D"] = "" }, args);
    }

    [Fact]
    public void LooksLikeArchive_TarGzipAndText_Classified()
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "x/"));
        }

        Assert.True(BuildContextArchive.LooksLikeArchive(tar.ToArray()));
        Assert.True(BuildContextArchive.LooksLikeArchive([0x1f, 0x8b, 8, 0]));
        Assert.False(BuildContextArchive.LooksLikeArchive("FROM busybox\n"u8));
    }
}
