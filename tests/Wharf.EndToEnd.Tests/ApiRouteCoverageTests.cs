using System.Net;
using System.Text;
using System.Text.Json;

namespace Wharf.EndToEnd.Tests;

/// <summary>Every route of Docker's Engine API spec gets an answer Docker could give (implemented, or Docker's answer for
/// an engine that is not a swarm node — until its swarm/init — and has no plugins): never the router's 404 "page not
/// found" nor a 405.</summary>
[Collection(DaemonCollection.Name)]
public sealed class ApiRouteCoverageTests(DaemonFixture daemon)
{
    private const string Missing = "wharf-walker-missing";

    /// <summary>(method, path) for each operation under the spec's top-level "paths:" (two-space path keys, four-space
    /// method keys), read with a line scan: the file is Docker's, its layout fixed by their style notes.</summary>
    public static IEnumerable<object[]> SpecRoutes()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Reference", "docker-engine-api.yaml");
        var inPaths = false;
        string? path = null;
        foreach (var line in File.ReadLines(file))
        {
            if (!line.StartsWith(' ') && line.Length > 0)
            {
                inPaths = line == "paths:";
                continue;
            }
            if (!inPaths) continue;
            if (line.StartsWith("  /", StringComparison.Ordinal) && line.EndsWith(':'))
                path = line.Trim().TrimEnd(':');
            else if (path is not null && line.Length > 4 && line[4] != ' ' && line.StartsWith("    ", StringComparison.Ordinal) && line.EndsWith(':'))
            {
                var method = line.Trim().TrimEnd(':').ToUpperInvariant();
                if (method is "GET" or "POST" or "PUT" or "DELETE" or "HEAD") yield return [method, path];
            }
        }
    }

    [Fact]
    public void SpecRoutes_AreReadFromTheSpec()
    {
        var routes = SpecRoutes().Select(r => $"{r[0]} {r[1]}").ToList();
        Assert.True(routes.Count > 90, $"only {routes.Count} routes parsed");
        Assert.Contains("GET /swarm", routes);
        Assert.Contains("POST /plugins/{name}/enable", routes);
        Assert.Contains("HEAD /containers/{id}/archive", routes);
    }

    [Theory]
    [MemberData(nameof(SpecRoutes))]
    public async Task SpecRoute_IsNeverPageNotFound(string method, string path)
    {
        var url = "v1.44" + Concrete(path);
        using var client = daemon.CreateHttpClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT") request.Content = new StringContent(Body(path), Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var text = method == "HEAD" ? "" : await ReadSomeAsync(response);
        // The walk leaves the shared daemon as it found it: its swarm/init made this node a swarm manager.
        if (path == "/swarm/init" && response.IsSuccessStatusCode)
            (await client.PostAsync("v1.44/swarm/leave?force=1", null)).Dispose();
        Assert.NotEqual(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.False(response.StatusCode == HttpStatusCode.NotFound && text.Contains("page not found", StringComparison.Ordinal),
            $"{method} {path}: {(int)response.StatusCode} {text}");
    }

    [Theory]
    [InlineData("GET", "swarm", "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.")]
    [InlineData("POST", "swarm/leave?force=1", "This node is not part of a swarm")]
    [InlineData("GET", "nodes", "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.")]
    [InlineData("GET", "services", "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.")]
    [InlineData("DELETE", "secrets/x", "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.")]
    [InlineData("POST", "configs/create", "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.")]
    public async Task SwarmRoutes_AnswerAsANonSwarmNode(string method, string path, string message)
    {
        var (status, text) = await SendAsync(method, path);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(message, JsonDocument.Parse(text).RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Plugins_NoneInstalled()
    {
        var (status, text) = await SendAsync("GET", "plugins");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, JsonDocument.Parse(text).RootElement.GetArrayLength());
        var (inspect, body) = await SendAsync("GET", "plugins/vieux/sshfs:latest/json");
        Assert.Equal(HttpStatusCode.NotFound, inspect);
        Assert.Equal("plugin \"vieux/sshfs:latest\" not found", JsonDocument.Parse(body).RootElement.GetProperty("message").GetString());
        var (remove, _) = await SendAsync("DELETE", "plugins/nope");
        Assert.Equal(HttpStatusCode.NotFound, remove);
    }

    private async Task<(HttpStatusCode Status, string Text)> SendAsync(string method, string path)
    {
        using var client = daemon.CreateHttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), "v1.44/" + path);
        if (method == "POST") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Placeholders become names of nothing; routes that would change the daemon's state or reach out of this
    /// machine get arguments that keep them local and harmless.</summary>
    private static string Concrete(string path)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var noMatch = Uri.EscapeDataString("{\"label\":[\"wharf-walker-none=1\"]}");
        if (path.EndsWith("/prune", StringComparison.Ordinal)) return path + "?filters=" + noMatch;
        return path switch
        {
            "/events" => $"/events?since={now - 1}&until={now}",
            "/distribution/{name}/json" => "/distribution/127.0.0.1:1/walker:none/json", // a refused local port
            "/images/create" => "/images/create?fromImage=127.0.0.1:1/walker&tag=none",
            "/images/search" => "/images/search?term=walker",
            "/plugins/pull" => "/plugins/pull?remote=127.0.0.1:1/walker:none",
            "/plugins/privileges" => "/plugins/privileges?remote=127.0.0.1:1/walker:none",
            "/images/get" => $"/images/get?names={Missing}",
            "/containers/{id}/attach" => $"/containers/{Missing}/attach?stream=1&stdout=1",
            _ => path.Replace("{id}", Missing, StringComparison.Ordinal).Replace("{name}", Missing, StringComparison.Ordinal),
        };
    }

    private static string Body(string path) => path switch
    {
        "/auth" => "{\"serveraddress\":\"127.0.0.1:1\",\"username\":\"u\",\"password\":\"p\"}",
        "/build" => "",
        "/images/load" => "",
        _ => "{}",
    };

    /// <summary>The start of the answer: enough for an error message, and streams (build) need not be drained.</summary>
    private static async Task<string> ReadSomeAsync(HttpResponseMessage response)
    {
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[4096];
        var total = 0;
        int n;
        while (total < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(total))) > 0) total += n;
        return Encoding.UTF8.GetString(buffer, 0, total);
    }
}
