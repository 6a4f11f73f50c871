using Wharf.Engine.Containers;
using Wharf.Engine.Images;
using Wharf.Engine.Tests.Containers;
using Xunit;

namespace Wharf.Engine.Tests.Images;

public sealed class ContainerCommitterTests
{
    [Fact]
    public async Task Commit_ContainerNeverStarted_ImageHasContainerDefaultsChangesAndAnEmptyLayerEntry()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var c = h.Create(name: "src", cmd: ["echo", "hi"], config: cfg => { cfg.Env = ["A=1"]; cfg.Labels["team"] = "x"; });
        var committer = new ContainerCommitter(h.Service, h.Images, h.Snapshots, h.Time);
        using var events = h.Events.Subscribe(0);
        var layersBefore = h.Images.Resolve("busybox").Config.RootFs.DiffIds.Count;

        var image = committer.Commit("src", new CommitOptions("snap:1", "why", "me", ["WORKDIR /w"], Pause: true));

        Assert.Contains("snap:1", image.RepoTags);
        Assert.Equal("/w", image.Config.Config?.WorkingDir);
        Assert.Equal(["echo", "hi"], image.Config.Config?.Cmd);
        Assert.Contains("A=1", image.Config.Config?.Env ?? []);
        Assert.Equal("me", image.Config.Author);
        Assert.Equal(layersBefore, image.Config.RootFs.DiffIds.Count); // nothing written yet: no new layer
        var last = image.Config.History![^1];
        Assert.True(last.EmptyLayer);
        Assert.Equal("why", last.Comment);
        var published = new List<Wharf.Engine.Events.EngineEvent>();
        while (events.Live.TryRead(out var e)) published.Add(e);
        var commit = Assert.Single(published, e => e.Action == "commit");
        Assert.Equal(c.Id, commit.ActorId);
        Assert.Equal(image.Id.Value, commit.Attributes["imageID"]);
        Assert.Equal("x", commit.Attributes["team"]);
    }
}
