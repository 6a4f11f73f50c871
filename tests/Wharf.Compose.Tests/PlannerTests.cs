using Wharf.Compose.Execution;
using Wharf.Compose.Loading;
using Wharf.Compose.Model;
using Wharf.Compose.Planning;

namespace Wharf.Compose.Tests;

public sealed class PlannerTests
{
    private static ComposeProject Project(TempProject dir, string yaml)
    {
        dir.Write("compose.yaml", yaml);
        return new ComposeLoader().Load(new LoadOptions { CurrentDirectory = dir.Dir, Environment = _ => null, ProjectName = "proj" });
    }

    private const string TwoServices = """
        services:
          web:
            image: busybox
            command: ["sleep", "100"]
            depends_on: [db]
            networks: [default, back]
            volumes: [data:/data]
          db:
            image: busybox
            command: ["sleep", "100"]
            labels: { tier: db }
        networks:
          back:
        volumes:
          data:
        """;

    [Fact]
    public void Order_DependsOn_PutsDependenciesFirst()
    {
        using var dir = new TempProject();
        var project = Project(dir, TwoServices);

        Assert.Equal(["db", "web"], Planner.Order(project, project.Services).Select(s => s.Name));
    }

    [Fact]
    public void Build_Container_CarriesComposeLabelsNamesAndNetworks()
    {
        using var dir = new TempProject();
        var project = Project(dir, TwoServices);

        var request = ContainerSpecBuilder.Build(project, project.Service("web")!, 1, oneOff: false);

        Assert.Equal("proj-web-1", ContainerSpecBuilder.ContainerName(project, project.Service("web")!, 1));
        Assert.Equal("proj", request.Labels![ComposeLabels.Project]);
        Assert.Equal("web", request.Labels[ComposeLabels.Service]);
        Assert.Equal("1", request.Labels[ComposeLabels.ContainerNumber]);
        Assert.Equal("False", request.Labels[ComposeLabels.OneOff]);
        Assert.Equal(dir.Dir, request.Labels[ComposeLabels.WorkingDir]);
        Assert.Equal(64, request.Labels[ComposeLabels.ConfigHash].Length);
        Assert.Equal("proj_back", request.HostConfig!.NetworkMode);
        Assert.Equal(["proj-web-1", "web"], request.NetworkingConfig!.EndpointsConfig!["proj_back"].Aliases);
        Assert.Equal("proj_data", request.HostConfig.Mounts!.Single().Source);
    }

    [Fact]
    public void Build_Replicas_ShareOneConfigHash()
    {
        using var dir = new TempProject();
        var project = Project(dir, TwoServices);
        var web = project.Service("web")!;

        Assert.Equal(
            ContainerSpecBuilder.Build(project, web, 1, false).Labels![ComposeLabels.ConfigHash],
            ContainerSpecBuilder.Build(project, web, 2, false).Labels![ComposeLabels.ConfigHash]);
    }

    [Fact]
    public async Task Up_ServicesSharingAnImage_InspectItOnce()
    {
        using var dir = new TempProject();
        var project = Project(dir, "services:\n  a:\n    image: busybox\n  b:\n    image: busybox\n  c:\n    image: busybox\n");
        var engine = new FakeComposeEngine();

        await new ComposeService(engine, TextWriter.Null).UpAsync(project, new UpOptions(), CancellationToken.None);

        Assert.Equal(1, engine.ImageLookups);
        Assert.All(engine.Containers.Values, c => Assert.Equal("sha256:" + new string('a', 64), c.Request.Labels![ComposeLabels.Image]));
    }

    [Fact]
    public async Task Down_ListedNetwork_IsRemovedWithoutAskingForItAgain()
    {
        using var dir = new TempProject();
        var project = Project(dir, TwoServices);
        var engine = new FakeComposeEngine();
        var compose = new ComposeService(engine, TextWriter.Null);
        await compose.UpAsync(project, new UpOptions(), CancellationToken.None);
        var lookups = engine.NetworkLookups;

        await compose.DownAsync(project, removeVolumes: true, removeImages: null, removeOrphans: false, timeout: 1, CancellationToken.None);

        Assert.Equal(lookups, engine.NetworkLookups);
        Assert.Empty(engine.Networks);
        Assert.Empty(engine.Volumes);
        Assert.Empty(engine.Containers);
    }

    [Fact]
    public async Task Up_Twice_SecondRunChangesNothing()
    {
        using var dir = new TempProject();
        var project = Project(dir, TwoServices);
        var engine = new FakeComposeEngine();
        var compose = new ComposeService(engine, TextWriter.Null);

        await compose.UpAsync(project, new UpOptions(), CancellationToken.None);
        var first = engine.Calls.ToList();
        engine.Calls.Clear();
        await compose.UpAsync(project, new UpOptions(), CancellationToken.None);

        Assert.Contains("network create proj_default", first);
        Assert.Contains("network create proj_back", first);
        Assert.Contains("volume create proj_data", first);
        Assert.True(first.IndexOf("start proj-db-1") < first.IndexOf("create proj-web-1"), "db starts before web is created");
        Assert.Empty(engine.Calls);
        // web joins its second network before it starts.
        Assert.Single(engine.Connections);
    }

    [Fact]
    public async Task Up_ChangedService_RecreatesOnlyThatService()
    {
        using var dir = new TempProject();
        var engine = new FakeComposeEngine();
        var compose = new ComposeService(engine, TextWriter.Null);
        await compose.UpAsync(Project(dir, TwoServices), new UpOptions(), CancellationToken.None);
        engine.Calls.Clear();

        var changed = Project(dir, TwoServices.Replace("labels: { tier: db }", "labels: { tier: database }", StringComparison.Ordinal));
        await compose.UpAsync(changed, new UpOptions(), CancellationToken.None);

        Assert.Equal(["stop proj-db-1", "rm proj-db-1", "create proj-db-1", "start proj-db-1"], engine.Calls);
    }

    [Fact]
    public async Task Up_Scale_AddsAndRemovesReplicas()
    {
        using var dir = new TempProject();
        var project = Project(dir, TwoServices);
        var engine = new FakeComposeEngine();
        var compose = new ComposeService(engine, TextWriter.Null);

        await compose.UpAsync(project, new UpOptions { Scale = { ["db"] = 3 } }, CancellationToken.None);
        Assert.Equal(3, engine.Containers.Values.Count(c => c.Name.StartsWith("proj-db-", StringComparison.Ordinal)));

        await compose.UpAsync(project, new UpOptions { Scale = { ["db"] = 1 } }, CancellationToken.None);
        Assert.Equal(["proj-db-1"], engine.Containers.Values.Where(c => c.Name.StartsWith("proj-db-", StringComparison.Ordinal)).Select(c => c.Name));
    }

    [Fact]
    public async Task Up_NoDeps_StartsOnlyTheNamedService()
    {
        using var dir = new TempProject();
        var engine = new FakeComposeEngine();
        await new ComposeService(engine, TextWriter.Null).UpAsync(Project(dir, TwoServices), new UpOptions { Services = ["web"], NoDeps = true }, CancellationToken.None);

        Assert.Equal(["proj-web-1"], engine.Containers.Values.Select(c => c.Name));
    }

    [Fact]
    public async Task Up_MissingImageWithPullPolicyNever_FailsBeforeCreating()
    {
        using var dir = new TempProject();
        var project = Project(dir, "services:\n  a:\n    image: nothere:1\n    pull_policy: never\n");
        var engine = new FakeComposeEngine();

        await Assert.ThrowsAsync<ComposeException>(() => new ComposeService(engine, TextWriter.Null).UpAsync(project, new UpOptions(), CancellationToken.None));
        Assert.DoesNotContain(engine.Calls, c => c.StartsWith("create", StringComparison.Ordinal) || c.StartsWith("pull", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("networks:\n  ext:\n    name: elsewhere\n    external: true\n", "networks: [default, ext]", "network elsewhere declared as external, but could not be found")]
    [InlineData("volumes:\n  ext:\n    name: elsewhere\n    external: true\n", "volumes: [ext:/e]", "external volume \"elsewhere\" not found")]
    public async Task Up_MissingExternalNetworkOrVolume_FailsBeforeCreatingAnything(string topLevel, string use, string message)
    {
        using var dir = new TempProject();
        // The project's own network and volume would come first; nothing may be left behind by the failure.
        var project = Project(dir, $"services:\n  a:\n    image: busybox\n    volumes: [data:/d]\n  b:\n    image: busybox\n    {use}\n{topLevel}" + (topLevel.StartsWith("volumes", StringComparison.Ordinal) ? "  data:\n" : "volumes:\n  data:\n"));
        var engine = new FakeComposeEngine();

        var ex = await Assert.ThrowsAsync<ComposeException>(() => new ComposeService(engine, TextWriter.Null).UpAsync(project, new UpOptions(), CancellationToken.None));

        Assert.Equal(message, ex.Message);
        Assert.Empty(engine.Calls);
    }

    [Fact]
    public async Task Up_MissingImage_CreatesNoNetworkOrVolume()
    {
        using var dir = new TempProject();
        var project = Project(dir, TwoServices.Replace("image: busybox\n    command: [\"sleep\", \"100\"]\n    labels", "image: nothere:1\n    pull_policy: never\n    command: [\"sleep\", \"100\"]\n    labels", StringComparison.Ordinal));
        var engine = new FakeComposeEngine();

        await Assert.ThrowsAsync<ComposeException>(() => new ComposeService(engine, TextWriter.Null).UpAsync(project, new UpOptions(), CancellationToken.None));

        Assert.Equal("nothere:1", project.Service("db")!.Image);
        Assert.Empty(engine.Calls);
    }

    [Fact]
    public async Task Down_RemovesContainersNetworksAndWithVolumesFlagVolumes()
    {
        using var dir = new TempProject();
        var project = Project(dir, TwoServices);
        var engine = new FakeComposeEngine();
        var compose = new ComposeService(engine, TextWriter.Null);
        await compose.UpAsync(project, new UpOptions(), CancellationToken.None);
        engine.Calls.Clear();

        await compose.DownAsync(project, removeVolumes: true, removeImages: null, removeOrphans: false, timeout: null, CancellationToken.None);

        Assert.Empty(engine.Containers);
        Assert.Empty(engine.Networks);
        Assert.Empty(engine.Volumes);
        Assert.True(engine.Calls.IndexOf("stop proj-web-1") < engine.Calls.IndexOf("stop proj-db-1"), "web stops before db");
    }

    [Fact]
    public async Task Up_RemoveOrphans_RemovesContainersOfDroppedServices()
    {
        using var dir = new TempProject();
        var engine = new FakeComposeEngine();
        var compose = new ComposeService(engine, TextWriter.Null);
        await compose.UpAsync(Project(dir, TwoServices), new UpOptions(), CancellationToken.None);

        var smaller = Project(dir, "services:\n  db:\n    image: busybox\n    command: [\"sleep\", \"100\"]\n    labels: { tier: db }\n");
        await compose.UpAsync(smaller, new UpOptions { RemoveOrphans = true }, CancellationToken.None);

        Assert.Equal(["proj-db-1"], engine.Containers.Values.Select(c => c.Name));
    }

    [Fact]
    public async Task Up_ServiceFails_OthersKeepRunningAndTheErrorNamesIt()
    {
        using var dir = new TempProject();
        var project = Project(dir, """
            services:
              db:
                image: busybox
              web:
                image: busybox
                depends_on: [db]
              cache:
                image: busybox
            """);
        var engine = new FakeComposeEngine { FailStart = { "proj-db-1" } };

        var ex = await Assert.ThrowsAsync<ComposeException>(() => new ComposeService(engine, TextWriter.Null).UpAsync(project, new UpOptions(), CancellationToken.None));

        Assert.Contains("2 of 3 services failed (these services are up: cache)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("service \"db\": Error response from daemon: failed to start proj-db-1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("service \"web\": dependency failed to start: service \"db\" failed", ex.Message, StringComparison.Ordinal);
        Assert.Equal("running", engine.Containers.Values.Single(c => c.Name == "proj-cache-1").State);
        Assert.DoesNotContain(engine.Containers.Values, c => c.Name == "proj-web-1");
    }

    [Fact]
    public async Task Up_DependencyRecreated_RestartsDependentsThatAskForIt()
    {
        const string Yaml = """
            services:
              db:
                image: busybox
                labels: { v: "1" }
              web:
                image: busybox
                depends_on:
                  db: { condition: service_started, restart: true }
              worker:
                image: busybox
                depends_on: [db]
            """;
        using var dir = new TempProject();
        var engine = new FakeComposeEngine();
        await new ComposeService(engine, TextWriter.Null).UpAsync(Project(dir, Yaml), new UpOptions(), CancellationToken.None);
        engine.Calls.Clear();

        await new ComposeService(engine, TextWriter.Null).UpAsync(Project(dir, Yaml.Replace("v: \"1\"", "v: \"2\"", StringComparison.Ordinal)), new UpOptions(), CancellationToken.None);

        Assert.Contains("restart proj-web-1", engine.Calls);
        Assert.DoesNotContain(engine.Calls, c => c.Contains("worker", StringComparison.Ordinal));
        Assert.True(engine.Calls.IndexOf("start proj-db-1") < engine.Calls.IndexOf("restart proj-web-1"), "web restarts after db is back");
    }
}
