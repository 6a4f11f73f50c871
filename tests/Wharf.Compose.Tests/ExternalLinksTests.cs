using Wharf.Compose.Execution;
using Wharf.Compose.Loading;
using Wharf.Compose.Model;
using Wharf.Compose.Output;
using Wharf.Compose.Planning;
using Wharf.Compose.Planning.Hash;

namespace Wharf.Compose.Tests;

/// <summary>external_links: links to containers outside the project, "CONTAINER[:ALIAS]", sent by Compose v2
/// after the service links in HostConfig.Links and every endpoint's links; no dependency.</summary>
public sealed class ExternalLinksTests
{
    private const string Project = """
        services:
          db:
            image: busybox
          web:
            image: busybox
            expose: ["80"]
            external_links: [outside, "other:alias"]
            extra_hosts: ["h:10.0.0.1"]
            links: [db]
        """;

    [Fact]
    public void Load_ExternalLinks_AsWritten_WithoutAnyDependency()
    {
        using var dir = new TempProject();
        var web = dir.LoadProject(Project).Service("web")!;

        Assert.Equal(["outside", "other:alias"], web.ExternalLinks);
        // Only the service link depends; the external containers are not services.
        Assert.Equal(["db"], web.DependsOn.Keys);
    }

    [Fact]
    public void Load_ExternalLinksNotAList_FailsWithLineAndKey()
    {
        using var dir = new TempProject();

        var ex = Assert.Throws<ComposeException>(() => dir.LoadProject("services:\n  a:\n    image: busybox\n    external_links: outside\n"));

        Assert.Contains("compose.yaml:4: services.a.external_links: must be a list", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_ExternalLinksBetweenExposeAndExtraHosts_AsInComposeGosServiceConfig()
    {
        using var dir = new TempProject();
        var project = dir.LoadProject(Project);

        var json = ComposeServiceHash.Json(project, project.Service("web")!);

        Assert.Contains("\"expose\":[\"80\"],\"external_links\":[\"outside\",\"other:alias\"],\"extra_hosts\":[\"h=10.0.0.1\"]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_PrintsExternalLinks_AndReloadsToTheSameHash()
    {
        using var dir = new TempProject();
        var project = dir.LoadProject(Project);

        var yaml = NodeWriter.ToYaml(ConfigModel.Build(project));

        Assert.Contains("    external_links:\n      - outside\n      - other:alias\n", yaml, StringComparison.Ordinal);
        using var again = new TempProject();
        var reloaded = again.LoadProject(yaml);
        Assert.Equal(ComposeServiceHash.Json(project, project.Service("web")!), ComposeServiceHash.Json(reloaded, reloaded.Service("web")!));
    }

    [Fact]
    public async Task Up_ExternalLinks_FollowTheServiceLinks_InHostConfigAndEveryEndpoint()
    {
        using var dir = new TempProject();
        var project = dir.LoadProject(Project + "\n    networks: [default, back]\nnetworks:\n  back:\n");
        var engine = new FakeComposeEngine();

        await new ComposeService(engine, TextWriter.Null).UpAsync(project, new UpOptions(), CancellationToken.None);

        var web = engine.Containers.Values.Single(c => c.Name == "proj-web-1").Request;
        Assert.Equal(["proj-db-1:db", "proj-db-1:db-1", "proj-db-1:proj-db-1", "outside:outside", "other:alias"], web.HostConfig!.Links);
        Assert.Equal(web.HostConfig.Links, web.NetworkingConfig!.EndpointsConfig!["proj_back"].Links);
        Assert.Equal(web.HostConfig.Links, engine.Connections.Single(c => c.Network == "proj_default").Endpoint.Links);
    }

    [Fact]
    public async Task Up_OnlyExternalLinks_ListsNoProjectContainersForThem()
    {
        using var dir = new TempProject();
        var project = dir.LoadProject("services:\n  a:\n    image: busybox\n    external_links: [\"outside:o\"]\n");
        var engine = new FakeComposeEngine();

        await new ComposeService(engine, TextWriter.Null).UpAsync(project, new UpOptions(), CancellationToken.None);

        Assert.Equal(["outside:o"], engine.Containers.Values.Single().Request.HostConfig!.Links);
        Assert.False(ServiceReferences.Needed(project.Service("a")!));
    }
}
