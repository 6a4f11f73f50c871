using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Engine.Snapshots;
using Xunit;

namespace Wharf.Engine.Tests.Images;

public sealed class ImageImportTests : IDisposable
{
    private readonly ImageServiceHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task ImportAsync_PlainTar_DiffIdIsSha256OfTarAndIdIsSha256OfConfigBlob()
    {
        var tar = TarBuilder.SmallRootfs();

        var image = await _h.ImportAsync(tar);

        var diffId = Digest.Compute(tar);
        Assert.Equal([diffId.Value], image.Config.RootFs.DiffIds);
        var configBytes = _h.Service.Content.ReadAllBytes(image.Id);
        Assert.Equal(Digest.Compute(configBytes), image.Id);
        Assert.Equal(tar, _h.Service.Content.ReadAllBytes(diffId));
        var stored = JsonSerializer.Deserialize(configBytes, CoreJsonContext.Default.ImageConfig)!;
        Assert.Equal("linux", stored.Os);
        Assert.Equal(ImageServiceHarness.Epoch, stored.Created);
        var history = Assert.Single(stored.History!);
        Assert.Equal("Imported from -", history.Comment);
        Assert.Equal("", history.CreatedBy);
        Assert.Empty(image.RepoTags);
    }

    [Fact]
    public async Task ImportAsync_SameTarSameClock_SameImageIdEvenInAnotherDataRoot()
    {
        var tar = TarBuilder.SmallRootfs();
        using var other = new ImageServiceHarness();

        var first = await _h.ImportAsync(tar);
        var second = await other.ImportAsync(tar);

        Assert.Equal(first.Id, second.Id);
    }

    [Fact]
    public async Task ImportAsync_LaterClock_DifferentImageIdSameLayer()
    {
        var tar = TarBuilder.SmallRootfs();
        var first = await _h.ImportAsync(tar);
        _h.Clock.Now = _h.Clock.Now.AddSeconds(1);

        var second = await _h.ImportAsync(tar);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(first.Config.RootFs.DiffIds, second.Config.RootFs.DiffIds);
        Assert.Equal(2, _h.Service.List().Count);
    }

    [Fact]
    public async Task ImportAsync_GzipTar_SameDiffIdAsPlainTar()
    {
        var tar = TarBuilder.SmallRootfs();

        var image = await _h.ImportAsync(TarBuilder.Gzip(tar));

        Assert.Equal(Digest.Compute(tar).Value, Assert.Single(image.Config.RootFs.DiffIds));
    }

    [Fact]
    public async Task ImportAsync_Layer_ExtractedIntoSnapshotByChainIdWithSize()
    {
        var tar = TarBuilder.SmallRootfs("abc");

        var image = await _h.ImportAsync(tar);

        var layer = new OverlaySnapshotter(_h.Root.Path).LayerPath(Digest.Compute(tar));
        Assert.Equal("abc\n", File.ReadAllText(Path.Combine(layer, "etc", "hostname")));
        Assert.Equal("tool", new FileInfo(Path.Combine(layer, "bin", "sh")).LinkTarget);
        Assert.Equal("#!/bin/sh\necho abc\n".Length + "abc\n".Length, image.Size);
    }

    [Fact]
    public async Task ImportAsync_Changes_AppliedToContainerDefaults()
    {
        string[] changes =
        [
            "ENV A=1 B=\"two words\"",
            "ENV LEGACY some value",
            "CMD [\"/bin/tool\", \"-x\"]",
            "ENTRYPOINT /bin/sh -c",
            "EXPOSE 80 53/udp 8000-8001",
            "LABEL maintainer=\"me\" version=1",
            "USER nobody",
            "WORKDIR /srv",
            "WORKDIR app",
            "VOLUME [\"/data\", \"/logs\"]",
            "STOPSIGNAL SIGINT",
        ];

        var image = await _h.ImportAsync(TarBuilder.SmallRootfs(), changes: changes, message: "my import");

        var config = image.Config.Config;
        Assert.Equal(["A=1", "B=two words", "LEGACY=some value"], config.Env);
        Assert.Equal(["/bin/tool", "-x"], config.Cmd);
        Assert.Equal(["/bin/sh", "-c", "/bin/sh -c"], config.Entrypoint);
        Assert.Equal(["53/udp", "80/tcp", "8000/tcp", "8001/tcp"], config.ExposedPorts!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("me", config.Labels!["maintainer"]);
        Assert.Equal("1", config.Labels!["version"]);
        Assert.Equal("nobody", config.User);
        Assert.Equal("/srv/app", config.WorkingDir);
        Assert.Equal(["/data", "/logs"], config.Volumes!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("SIGINT", config.StopSignal);
        Assert.Equal("my import", image.Config.Comment);
    }

    [Fact]
    public async Task ImportAsync_ShellFormCmd_WrappedInBinShC()
    {
        var image = await _h.ImportAsync(TarBuilder.SmallRootfs(), changes: ["CMD echo hi"]);

        Assert.Equal(["/bin/sh", "-c", "echo hi"], image.Config.Config.Cmd);
        Assert.Null(image.Config.Config.Entrypoint);
    }

    [Theory]
    [InlineData("RUN echo hi", "RUN is not a valid change command")]
    [InlineData("EXPOSE 99999", "invalid containerPort: 99999")]
    [InlineData("CMD", "CMD requires at least one argument")]
    public async Task ImportAsync_InvalidChange_InvalidArgumentAndNothingStored(string change, string message)
    {
        var error = await Assert.ThrowsAsync<EngineException>(() => _h.ImportAsync(TarBuilder.SmallRootfs(), changes: [change]));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(message, error.Message);
        Assert.Empty(_h.Entries("content", "blobs", "sha256"));
        Assert.Empty(_h.Service.List());
    }

    [Fact]
    public async Task ImportAsync_WithReference_TaggedInFamiliarFormAndEventsRaised()
    {
        var image = await _h.ImportAsync(TarBuilder.SmallRootfs(), "docker.io/library/myimage");

        Assert.Equal(["myimage:latest"], image.RepoTags);
        Assert.Equal(ImageServiceHarness.Epoch, image.LastTagTime);
        Assert.Equal(["import", "tag"], _h.Events.Select(e => e.Action));
        Assert.All(_h.Events, e => Assert.Equal(image.Id.Value, e.Id));
        Assert.Equal("myimage:latest", _h.Events[1].Attributes["name"]);
    }

    [Fact]
    public async Task ImportAsync_InvalidReference_ThrowsAndStoresNothing()
    {
        var error = await Assert.ThrowsAsync<EngineException>(() => _h.ImportAsync(TarBuilder.SmallRootfs(), "Bad:Name"));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Empty(_h.Entries("content", "blobs", "sha256"));
    }

    [Fact]
    public async Task ImportAsync_CorruptArchive_InvalidArgumentAndNothingLeft()
    {
        var garbage = new byte[1024];
        new Random(7).NextBytes(garbage);

        var error = await Assert.ThrowsAsync<EngineException>(() => _h.ImportAsync(garbage));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        AssertNothingLeft();
    }

    public static TheoryData<string> HostileArchives => ["dotdot", "absolute", "symlink-parent", "hardlink-outside", "hardlink-absolute", "nested-dotdot"];

    [Theory]
    [MemberData(nameof(HostileArchives))]
    public async Task ImportAsync_HostileArchive_RejectedAndLeavesNothing(string kind)
    {
        var outside = Path.Combine(_h.Root.Path, "outside-" + kind);
        var builder = new TarBuilder().Directory("etc/").File("etc/ok", "fine");
        switch (kind)
        {
            case "dotdot": builder.File("../x", "escaped"); break;
            case "nested-dotdot": builder.File("etc/../../x", "escaped"); break;
            case "absolute": builder.File(outside, "escaped"); break;
            case "symlink-parent": builder.Symlink("evil", _h.Root.Path).File("evil/outside-" + kind, "escaped"); break;
            case "hardlink-outside": builder.HardLink("passwd", "../../../../etc/passwd"); break;
            case "hardlink-absolute": builder.HardLink("passwd", "/etc/passwd"); break;
        }

        var error = await Assert.ThrowsAsync<EngineException>(() => _h.ImportAsync(builder.Build(), "hostile:1"));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("invalid tar entry", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(outside));
        AssertNothingLeft();
        Assert.False(_h.Service.TryResolve("hostile:1", out _));
    }

    [Fact]
    public async Task ImportAsync_HostileArchiveSharingNoLayer_KeepsExistingImagesIntact()
    {
        var good = await _h.ImportAsync(TarBuilder.SmallRootfs(), "good");

        await Assert.ThrowsAsync<EngineException>(() => _h.ImportAsync(new TarBuilder().File("../x", "bad").Build()));

        Assert.Equal(good.Id, _h.Service.Resolve("good").Id);
        Assert.True(_h.Service.Content.Exists(good.DiffIds[0]));
        Assert.True(new OverlaySnapshotter(_h.Root.Path).HasLayer(good.DiffIds[0]));
    }

    [Fact]
    public async Task Restart_NewServiceOverSameDataRoot_SeesSameImagesAndTags()
    {
        var image = await _h.ImportAsync(TarBuilder.SmallRootfs(), "app:1");
        _h.Service.Tag("app:1", "localhost:5000/app", "2");

        var reopened = _h.Reopen();

        var again = reopened.Resolve("app:1");
        Assert.Equal(image.Id, again.Id);
        Assert.Equal(["app:1", "localhost:5000/app:2"], again.RepoTags);
        Assert.Equal(JsonSerializer.Serialize(image.Config, CoreJsonContext.Default.ImageConfig), JsonSerializer.Serialize(again.Config, CoreJsonContext.Default.ImageConfig));
        Assert.Equal(image.Size, again.Size);
        Assert.Equal("1", File.ReadAllText(_h.Root.Combine("schema-version")).Trim());
        Assert.True(File.Exists(_h.Root.Combine("image", "db", image.Id.Hex + ".json")));
        Assert.Contains("\"localhost:5000/app\"", File.ReadAllText(_h.Root.Combine("image", "repositories.json")), StringComparison.Ordinal);
    }

    private void AssertNothingLeft()
    {
        Assert.Empty(_h.Entries("content", "blobs", "sha256"));
        Assert.Empty(_h.Entries("content", "ingest"));
        Assert.Equal(["containers"], _h.Entries("snapshots"));
        Assert.Empty(_h.Entries("image", "db"));
        Assert.Empty(_h.Service.List());
    }
}
