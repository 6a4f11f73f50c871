using Wharf.Api.Client;
using Wharf.Api.Networks;

namespace Wharf.Cli.Tests;

/// <summary>The typed endpoint groups of <see cref="EngineClient"/> put the right method, path and query on the wire.</summary>
public sealed class EngineClientGroupsTests
{
    private static FakeDaemon Daemon(string body = "{}") =>
        new((request, socket) => FakeDaemon.RespondAsync(socket, request.Method == "DELETE" && body == "{}" ? 204 : 200, body));

    private static string Last(FakeDaemon daemon) => daemon.Requests.Last() is var r ? r.Method + " " + r.Target : "";

    [Fact]
    public async Task Containers_LifecycleCalls_UseDockersPathsAndQueries()
    {
        await using var daemon = Daemon();
        using var client = new EngineClient(DockerEndpoint.Unix(daemon.SocketPath));

        await client.Containers.StartAsync("c1");
        Assert.Equal("POST /v1.50/containers/c1/start", Last(daemon));
        await client.Containers.StopAsync("c1", "SIGINT", "3");
        Assert.Equal("POST /v1.50/containers/c1/stop?signal=SIGINT&t=3", Last(daemon));
        await client.Containers.KillAsync("c1", "HUP");
        Assert.Equal("POST /v1.50/containers/c1/kill?signal=HUP", Last(daemon));
        await client.Containers.RemoveAsync("c1", force: true, volumes: true);
        Assert.Equal("DELETE /v1.50/containers/c1?force=1&v=1", Last(daemon));
        await client.Containers.RenameAsync("c1", "new name");
        Assert.Equal("POST /v1.50/containers/c1/rename?name=new%20name", Last(daemon));
        await client.Containers.ResizeAsync("c1", 24, 80);
        Assert.Equal("POST /v1.50/containers/c1/resize?h=24&w=80", Last(daemon));
    }

    [Fact]
    public async Task Lists_WithFilters_EncodeTheFilterJson()
    {
        await using var daemon = Daemon("[]");
        using var client = new EngineClient(DockerEndpoint.Unix(daemon.SocketPath));

        await client.Containers.ListAsync(all: true, limit: 3, size: true, filters: """{"status":{"exited":true}}""");
        Assert.Equal("GET /v1.50/containers/json?all=1&limit=3&size=1&filters=%7B%22status%22%3A%7B%22exited%22%3Atrue%7D%7D", Last(daemon));
        await client.Images.ListAsync(all: true);
        Assert.Equal("GET /v1.50/images/json?all=1", Last(daemon));
        await client.Networks.ListAsync();
        Assert.Equal("GET /v1.50/networks", Last(daemon));
    }

    [Fact]
    public async Task Volumes_Names_AreEscaped()
    {
        await using var daemon = Daemon();
        using var client = new EngineClient(DockerEndpoint.Unix(daemon.SocketPath));

        await client.Volumes.RemoveAsync("a b", force: true);

        Assert.Equal("DELETE /v1.50/volumes/a%20b?force=1", Last(daemon));
    }

    [Fact]
    public async Task Networks_Connect_PostsTheRequestBody()
    {
        await using var daemon = Daemon();
        using var client = new EngineClient(DockerEndpoint.Unix(daemon.SocketPath));

        await client.Networks.DisconnectAsync("n1", new NetworkDisconnectRequest { Container = "c1", Force = true });

        var request = daemon.Requests.Last();
        Assert.Equal("POST /v1.50/networks/n1/disconnect", request.Method + " " + request.Target);
        Assert.Contains("\"Container\":\"c1\"", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Images_Pull_SendsTheRegistryAuthHeader()
    {
        await using var daemon = Daemon("");
        using var client = new EngineClient(DockerEndpoint.Unix(daemon.SocketPath));

        using (await client.Images.PullAsync("docker.io/library/busybox", "1.36", null, "e30="))
        {
        }

        var request = daemon.Requests.Last();
        Assert.Equal("POST /v1.50/images/create?fromImage=docker.io%2Flibrary%2Fbusybox&tag=1.36", request.Method + " " + request.Target);
        Assert.Equal("e30=", request.Headers["x-registry-auth"]);
    }
}
