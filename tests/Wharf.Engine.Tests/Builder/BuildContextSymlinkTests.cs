using System.Formats.Tar;
using System.IO.Compression;
using Wharf.Core.Errors;
using Wharf.Engine.Builder;
using Wharf.Engine.Tests.Containers;
using Wharf.Engine.Tests.Images;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Engine.Tests.Builder;

/// <summary>A build context is the client's: a Dockerfile, a .dockerignore or a COPY/ADD source that is a link out of
/// the context must never make the daemon read a host file (nor echo one in an error). Links that stay inside the
/// context are followed, as Docker does.</summary>
public sealed class BuildContextSymlinkTests : IDisposable
{
    private const string Secret = "root:$6$hostsecret:19000:0:99999:7:::";
    private readonly TempDirectory _host = new("wharf-build-host");
    private readonly string _hostFile;

    public BuildContextSymlinkTests()
    {
        // Stands for /etc/shadow: a host file the context's links point at.
        _hostFile = _host.Combine("shadow");
        File.WriteAllText(_hostFile, Secret + "\n");
    }

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Build_DockerfileLinkedToAHostFile_IsForbiddenAndEchoesNothingOfIt()
    {
        var error = await BuildFailsAsync(new TarBuilder().Symlink("Dockerfile", _hostFile));
        Assert.Equal("forbidden path outside the build context: Dockerfile", error.Message);
        Assert.DoesNotContain("hostsecret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_DockerfileLinkedUpAndOutOfTheContext_IsForbidden()
    {
        var error = await BuildFailsAsync(new TarBuilder().Directory("sub").Symlink("sub/Dockerfile", "../../../../../../../../.." + _hostFile), "sub/Dockerfile");
        Assert.Equal("forbidden path outside the build context: sub/Dockerfile", error.Message);
    }

    [Fact]
    public async Task Build_DockerignoreLinkedToAHostFile_IsForbidden()
    {
        var error = await BuildFailsAsync(new TarBuilder().File("Dockerfile", "FROM scratch\n").Symlink(".dockerignore", _hostFile));
        Assert.Equal("forbidden path outside the build context: .dockerignore", error.Message);
    }

    [Theory]
    [InlineData("COPY")]
    [InlineData("ADD")]
    public async Task Build_SourceLinkedToAHostFile_IsForbidden(string keyword)
    {
        var error = await BuildFailsAsync(new TarBuilder().File("Dockerfile", $"FROM scratch\n{keyword} passwd /x\n").Symlink("passwd", _hostFile));
        Assert.Equal($"{keyword} failed: forbidden path outside the build context: passwd", error.Message);
    }

    [Fact]
    public async Task Build_AddOfAnArchiveLinkedToAHostArchive_IsForbiddenAndNothingIsExtracted()
    {
        var archive = _host.Combine("host.tgz");
        await using (var file = File.Create(archive))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            await gzip.WriteAsync(new TarBuilder().File("host-file", Secret).Build());
        }
        var error = await BuildFailsAsync(new TarBuilder().File("Dockerfile", "FROM scratch\nADD x.tgz /\n").Symlink("x.tgz", archive));
        Assert.Equal("ADD failed: forbidden path outside the build context: x.tgz", error.Message);
    }

    [Fact]
    public async Task Build_LinksThatStayInsideTheContext_AreFollowed()
    {
        await using var harness = await ContainerServiceHarness.CreateAsync();
        var builder = new ImageBuilder(harness.Images, harness.Service, harness.Snapshots, new BuildCache(harness.Options.DataRoot), TimeProvider.System);
        var context = new TarBuilder()
            .Directory("build")
            .File("build/Dockerfile.real", "FROM scratch\nCOPY data/link /copied\n")
            .Symlink("Dockerfile", "build/./Dockerfile.real")
            .Directory("data")
            .File("data/real.txt", "inside the context")
            .Symlink("data/link", "../data/real.txt")
            .Build();

        var image = await builder.BuildAsync(new MemoryStream(context), Options("Dockerfile"), _ => Task.CompletedTask, CancellationToken.None);

        using var layer = new TarReader(new MemoryStream(harness.Images.Content.ReadAllBytes(image.DiffIds[^1])));
        TarEntry? copied = null;
        while (layer.GetNextEntry() is { } entry)
            if (entry.Name.TrimStart('/') == "copied") copied = entry;
        Assert.NotNull(copied);
        Assert.Equal(TarEntryType.RegularFile, copied.EntryType is TarEntryType.V7RegularFile ? TarEntryType.RegularFile : copied.EntryType);
        Assert.Equal("inside the context", new StreamReader(copied.DataStream!).ReadToEnd());
    }

    [Fact]
    public void UnknownInstruction_NotAnInstructionWord_EchoesOnlyItsLeadingLetters()
    {
        var error = Assert.Throws<EngineException>(() => DockerfileParser.Parse(Secret + "\n"));
        Assert.Equal("dockerfile parse error on line 1: unknown instruction: root", error.Message);
        Assert.DoesNotContain("hostsecret", error.Message, StringComparison.Ordinal);
    }

    private static BuildOptions Options(string dockerfile) =>
        new(dockerfile, [], new Dictionary<string, string?>(), new Dictionary<string, string>(), null, NoCache: true, Quiet: true);

    private static async Task<EngineException> BuildFailsAsync(TarBuilder context, string dockerfile = "Dockerfile")
    {
        await using var harness = await ContainerServiceHarness.CreateAsync();
        var builder = new ImageBuilder(harness.Images, harness.Service, harness.Snapshots, new BuildCache(harness.Options.DataRoot), TimeProvider.System);
        var output = new List<string>();
        var error = await Assert.ThrowsAsync<EngineException>(() => builder.BuildAsync(new MemoryStream(context.Build()), Options(dockerfile),
            text => { output.Add(text); return Task.CompletedTask; }, CancellationToken.None));
        Assert.DoesNotContain(output, o => o.Contains("hostsecret", StringComparison.Ordinal));
        return error;
    }
}
