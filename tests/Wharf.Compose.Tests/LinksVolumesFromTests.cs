using Wharf.Compose.Execution;
using Wharf.Compose.Loading;
using Wharf.Compose.Model;
using Wharf.Compose.Output;
using Wharf.Compose.Planning;
using Wharf.Compose.Planning.Hash;

namespace Wharf.Compose.Tests;

public sealed class LinksVolumesFromTests
{
    private const string Project = """
        services:
          db:
            image: busybox
            volumes: [data:/data]
          web:
            image: busybox
            labels: { tier: web }
            links: [db, "db:database"]
            volumes_from: ["db:ro", "container:outside"]
            volumes: [data:/more]
            working_dir: /w
          side:
            image: busybox
            depends_on: { db: { condition: service_healthy } }
            volumes_from: [db]
        volumes:
          data:
        """;

    [Fact]
    public void Load_LinksAndVolumesFrom_AddImplicitDependsOnAsComposeGoDoes()
    {
        using var dir = new TempProject();
        var project = dir.LoadProject(Project);
        var web = project.Service("web")!;

        Assert.Equal(["db", "db:database"], web.Links);
        Assert.Equal(["db:ro", "container:outside"], web.VolumesFrom);
        // links first: restart true; volumes_from only adds what links did not; container: refs add nothing.
        Assert.Equal(["db"], web.DependsOn.Keys);
        Assert.Equal(new DependsOn(DependsOn.Started, Restart: true), web.DependsOn["db"]);
        // An explicit depends_on wins over the implicit one.
        Assert.Equal(new DependsOn(DependsOn.Healthy), project.Service("side")!.DependsOn["db"]);
        Assert.Equal(["db", "web"], Planner.Order(project, [web]).Select(s => s.Name));
    }

    [Fact]
    public void Load_VolumesFromOnly_DependsWithoutRestart()
    {
        using var dir = new TempProject();
        var project = dir.LoadProject("services:\n  a:\n    image: busybox\n  b:\n    image: busybox\n    volumes_from: [\"a:rw\"]\n");

        Assert.Equal(new DependsOn(DependsOn.Started, Restart: false), project.Service("b")!.DependsOn["a"]);
    }

    [Fact]
    public void Load_LinkToUndefinedService_FailsNamingIt()
    {
        using var dir = new TempProject();

        var ex = Assert.Throws<ComposeException>(() => dir.LoadProject("services:\n  a:\n    image: busybox\n    links: [\"nope:x\"]\n"));

        Assert.Contains("depends on undefined service \"nope\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_VolumesFromWithBadMode_FailsWithLine()
    {
        using var dir = new TempProject();

        var ex = Assert.Throws<ComposeException>(() => dir.LoadProject("services:\n  a:\n    image: busybox\n  b:\n    image: busybox\n    volumes_from: [\"a:rx\"]\n"));

        Assert.Contains("compose.yaml:6: services.b.volumes_from[0]: invalid volumes_from \"a:rx\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_PrintsLinksVolumesFromAndImplicitDependsOn_AndReloadsToTheSameHash()
    {
        using var dir = new TempProject();
        var project = dir.LoadProject(Project);

        var yaml = NodeWriter.ToYaml(ConfigModel.Build(project));

        Assert.Contains("    links:\n      - db\n      - db:database\n", yaml, StringComparison.Ordinal);
        Assert.Contains("    volumes_from:\n      - db:ro\n      - container:outside\n", yaml, StringComparison.Ordinal);
        Assert.Contains("      db:\n        condition: service_started\n        required: true\n        restart: true\n", yaml, StringComparison.Ordinal);
        using var again = new TempProject();
        var reloaded = again.LoadProject(yaml);
        Assert.Equal(ComposeServiceHash.Json(project, project.Service("web")!), ComposeServiceHash.Json(reloaded, reloaded.Service("web")!));
    }

    [Fact]
    public void Hash_LinksAfterLabels_VolumesFromAfterVolumes_AsInComposeGosServiceConfig()
    {
        using var dir = new TempProject();
        var project = dir.LoadProject(Project);

        var json = ComposeServiceHash.Json(project, project.Service("web")!, new ResolvedReferences(VolumesFrom: ["ID1", "outside"]));

        Assert.Contains("\"labels\":{\"tier\":\"web\"},\"links\":[\"db\",\"db:database\"],\"networks\":", json, StringComparison.Ordinal);
        Assert.Contains("\"volume\":{}}],\"volumes_from\":[\"ID1\",\"outside\"],\"working_dir\":\"/w\"}", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_LinksAndVolumesFrom_RequestCarriesV2LinksAndTheSourceContainer()
    {
        using var dir = new TempProject();
        var project = dir.LoadProject(Project);
        var engine = new FakeComposeEngine();

        await new ComposeService(engine, TextWriter.Null).UpAsync(project, new UpOptions { Services = ["web"] }, CancellationToken.None);

        var db = engine.Containers.Single(c => c.Value.Name == "proj-db-1").Key;
        var web = engine.Containers.Values.Single(c => c.Name == "proj-web-1").Request;
        Assert.Equal(["proj-db-1:db", "proj-db-1:db-1", "proj-db-1:proj-db-1", "proj-db-1:database", "proj-db-1:db-1", "proj-db-1:proj-db-1"], web.HostConfig!.Links);
        Assert.Equal(web.HostConfig.Links, web.NetworkingConfig!.EndpointsConfig!["proj_default"].Links);
        Assert.Equal([db + ":ro", "outside"], web.HostConfig.VolumesFrom);
        // Hashed as v2 resolves it: the source's id, the mode dropped.
        Assert.Equal(
            ComposeServiceHash.Compute(project, project.Service("web")!, new ResolvedReferences(VolumesFrom: [db, "outside"])),
            web.Labels![ComposeLabels.ConfigHash]);
        Assert.Equal("db:service_started:true", web.Labels[ComposeLabels.DependsOn]);
    }

    [Fact]
    public async Task Up_Twice_KeepsTheLinkedServices_AndRecreatesThemWhenTheSourceIsRecreated()
    {
        using var dir = new TempProject();
        var project = dir.LoadProject(Project);
        var engine = new FakeComposeEngine();
        var compose = new ComposeService(engine, TextWriter.Null);
        await compose.UpAsync(project, new UpOptions { Services = ["web"] }, CancellationToken.None);
        engine.Calls.Clear();

        await compose.UpAsync(project, new UpOptions { Services = ["web"] }, CancellationToken.None);
        Assert.Empty(engine.Calls);

        // A new db container has a new id: web's resolved volumes_from, and so its hash, change (as in v2).
        await compose.UpAsync(project, new UpOptions { Services = ["db"], ForceRecreate = true }, CancellationToken.None);
        engine.Calls.Clear();
        await compose.UpAsync(project, new UpOptions { Services = ["web"] }, CancellationToken.None);
        Assert.Equal(["stop proj-web-1", "rm proj-web-1", "create proj-web-1", "start proj-web-1"], engine.Calls);
    }
}
