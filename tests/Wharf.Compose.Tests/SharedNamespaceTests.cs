using Wharf.Compose.Execution;
using Wharf.Compose.Loading;
using Wharf.Compose.Model;
using Wharf.Compose.Planning;
using Wharf.Compose.Planning.Hash;

namespace Wharf.Compose.Tests;

/// <summary>network_mode, ipc, pid (and uts, cgroup) "service:x": an implicit depends_on as compose-go's
/// normalisation adds it (service_started, restart: true), so x starts first and a cycle is refused; ipc and pid
/// reach the engine, and the config hash, as "container:ID" of x's first container, as Compose v2 resolves them.</summary>
public sealed class SharedNamespaceTests
{
    [Fact]
    public void Load_ServiceModes_AddImplicitDependsOn_RestartTrue()
    {
        using var dir = new TempProject();
        var project = dir.LoadProject("""
            services:
              app:
                image: busybox
                network_mode: service:net
                ipc: service:ipc
                pid: service:pid
                uts: host
                depends_on: { pid: { condition: service_healthy } }
              net: { image: busybox }
              ipc: { image: busybox }
              pid: { image: busybox }
            """);
        var app = project.Service("app")!;

        Assert.Equal(["ipc", "net", "pid"], app.DependsOn.Keys);
        Assert.Equal(new DependsOn(DependsOn.Started, Restart: true), app.DependsOn["net"]);
        Assert.Equal(new DependsOn(DependsOn.Started, Restart: true), app.DependsOn["ipc"]);
        // An explicit depends_on wins over the implicit one.
        Assert.Equal(new DependsOn(DependsOn.Healthy), app.DependsOn["pid"]);
        Assert.Equal("app", Planner.Order(project, project.Services).Last().Name);
    }

    [Fact]
    public void Load_LinkBeforeNamespace_TheLinksDependencyIsKept()
    {
        using var dir = new TempProject();
        var project = dir.LoadProject("services:\n  a:\n    image: busybox\n  b:\n    image: busybox\n    volumes_from: [a]\n    ipc: service:a\n");

        // compose-go adds namespaces before volumes_from: restart true wins over volumes_from's false.
        Assert.Equal(new DependsOn(DependsOn.Started, Restart: true), project.Service("b")!.DependsOn["a"]);
    }

    [Fact]
    public void Load_CycleThroughNamespaceModes_IsRefusedBeforeAnythingIsCreated()
    {
        using var dir = new TempProject();

        var ex = Assert.Throws<ComposeException>(() => dir.LoadProject("services:\n  a:\n    image: busybox\n    network_mode: service:b\n  b:\n    image: busybox\n    pid: service:a\n"));

        Assert.Contains("dependency cycle detected: a -> b -> a", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("network_mode")]
    [InlineData("ipc")]
    [InlineData("pid")]
    public void Load_ModeNamingAnUnknownService_FailsNamingFileLineAndKey(string key)
    {
        using var dir = new TempProject();

        var ex = Assert.Throws<ComposeException>(() => dir.LoadProject($"services:\n  a:\n    image: busybox\n    {key}: service:nope\n"));

        Assert.Contains($"compose.yaml:4: services.a.{key}: service \"nope\" not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_IpcAndPidService_StartTheSourceFirst_AndShareItsFirstContainer()
    {
        using var dir = new TempProject();
        var project = dir.LoadProject("services:\n  b:\n    image: busybox\n    ipc: service:a\n    pid: service:a\n  a:\n    image: busybox\n    ipc: shareable\n");
        var engine = new FakeComposeEngine();
        var compose = new ComposeService(engine, TextWriter.Null);

        await compose.UpAsync(project, new UpOptions(), CancellationToken.None);

        Assert.Equal(["create proj-a-1", "start proj-a-1", "create proj-b-1", "start proj-b-1"], engine.Calls.Where(c => !c.StartsWith("network ", StringComparison.Ordinal)));
        var a = engine.Containers.Single(c => c.Value.Name == "proj-a-1").Key;
        var b = engine.Containers.Values.Single(c => c.Name == "proj-b-1").Request;
        Assert.Equal("container:" + a, b.HostConfig!.IpcMode);
        Assert.Equal("container:" + a, b.HostConfig.PidMode);
        Assert.Equal("shareable", engine.Containers[a].Request.HostConfig!.IpcMode);
        // Hashed as v2 hashes it, resolved; so a second up keeps everything.
        var json = ComposeServiceHash.Json(project, project.Service("b")!, new ResolvedReferences(Ipc: "container:" + a, Pid: "container:" + a));
        Assert.Contains($"\"ipc\":\"container:{a}\"", json, StringComparison.Ordinal);
        Assert.Equal(ComposeServiceHash.Compute(project, project.Service("b")!, new ResolvedReferences(Ipc: "container:" + a, Pid: "container:" + a)), b.Labels![ComposeLabels.ConfigHash]);
        Assert.Equal("a:service_started:true", b.Labels[ComposeLabels.DependsOn]);
        engine.Calls.Clear();
        await compose.UpAsync(project, new UpOptions(), CancellationToken.None);
        Assert.Empty(engine.Calls);
    }

    [Fact]
    public async Task Up_SourceRecreated_RecreatesTheServiceSharingItsIpc()
    {
        using var dir = new TempProject();
        var project = dir.LoadProject("services:\n  a:\n    image: busybox\n  b:\n    image: busybox\n    ipc: service:a\n");
        var engine = new FakeComposeEngine();
        var compose = new ComposeService(engine, TextWriter.Null);
        await compose.UpAsync(project, new UpOptions(), CancellationToken.None);

        await compose.UpAsync(project, new UpOptions { Services = ["a"], ForceRecreate = true, NoDeps = true }, CancellationToken.None);
        engine.Calls.Clear();
        await compose.UpAsync(project, new UpOptions { Services = ["b"] }, CancellationToken.None);

        Assert.Equal(["stop proj-b-1", "rm proj-b-1", "create proj-b-1", "start proj-b-1"], engine.Calls);
    }

    [Fact]
    public void Build_IpcServiceWithoutContainer_FailsAsComposeDoes()
    {
        using var dir = new TempProject();
        var project = dir.LoadProject("services:\n  a:\n    image: busybox\n  b:\n    image: busybox\n    ipc: service:a\n");

        var ex = Assert.Throws<ComposeException>(() => ContainerSpecBuilder.Build(project, project.Service("b")!, 1, false, ServiceReferences.None));

        Assert.Equal("cannot share IPC namespace with service a: container missing", ex.Message);
    }
}
