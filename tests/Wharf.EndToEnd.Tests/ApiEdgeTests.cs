using System.Formats.Tar;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Wharf.EndToEnd.Tests;

/// <summary>Engine API behaviour docker-py's integration suite checks and the docker CLI never shows: exec start
/// failures as 126, IPAM auxiliary addresses, endpoint MAC and link-local addresses, legacy links (environment,
/// inspect, removal), and the legacy builder's stderr colouring, extra hosts, network mode and cache-from.</summary>
[Collection(DaemonCollection.Name)]
public sealed class ApiEdgeTests(DaemonFixture daemon)
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string? body = null, HttpStatusCode? expected = null)
    {
        using var client = daemon.CreateHttpClient();
        using var request = new HttpRequestMessage(method, "v1.44/" + path) { Content = body is null ? null : Json(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected is null ? response.IsSuccessStatusCode : response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<string> CreateAsync(string body, string? name = null) =>
        (await SendAsync(HttpMethod.Post, "containers/create" + (name is null ? "" : "?name=" + name), body)).GetProperty("Id").GetString()!;

    private async Task<string> ExecOutputAsync(string container, params string[] cmd)
    {
        var r = await daemon.DockerAsync(["exec", container, .. cmd]);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Stdout;
    }

    [Fact]
    public async Task ExecStart_MissingExecutable_ExecInspectSays126()
    {
        var id = await CreateAsync("""{"Image":"busybox","Cmd":["sleep","60"]}""");
        try
        {
            await SendAsync(HttpMethod.Post, $"containers/{id}/start");
            var exec = (await SendAsync(HttpMethod.Post, $"containers/{id}/exec", """{"Cmd":["no-such-binary"],"AttachStdout":true}""")).GetProperty("Id").GetString();
            using (var client = daemon.CreateHttpClient())
            using (await client.PostAsync($"v1.44/exec/{exec}/start", Json("""{"Detach":false,"Tty":false}"""))) { }
            Assert.Equal(126, (await SendAsync(HttpMethod.Get, $"exec/{exec}/json")).GetProperty("ExitCode").GetInt32());
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", id);
        }
    }

    [Fact]
    public async Task Network_AuxAddresses_MacAndLinkLocalIps_InInspectAndOnTheInterface()
    {
        var net = "edge-aux-" + Guid.NewGuid().ToString("N")[..6];
        var id = "";
        var other = "";
        await SendAsync(HttpMethod.Post, "networks/create", """
            {"Name":"@net@","IPAM":{"Driver":"default","Config":[{"Subnet":"10.251.0.0/24","IPRange":"10.251.0.0/29","Gateway":"10.251.0.1",
             "AuxiliaryAddresses":{"a":"10.251.0.2","b":"10.251.0.3"}}]}}
            """.Replace("@net@", net, StringComparison.Ordinal));
        try
        {
            var config = (await SendAsync(HttpMethod.Get, $"networks/{net}")).GetProperty("IPAM").GetProperty("Config")[0];
            Assert.Equal("10.251.0.2", config.GetProperty("AuxiliaryAddresses").GetProperty("a").GetString());

            // Container-wide MacAddress (as docker-py 7 sends it) and link-local addresses on the endpoint.
            id = await CreateAsync("""
                {"Image":"busybox","Cmd":["sleep","60"],"MacAddress":"02:42:ac:11:00:0a","HostConfig":{"NetworkMode":"@net@"},
                 "NetworkingConfig":{"EndpointsConfig":{"@net@":{"IPAMConfig":{"LinkLocalIPs":["169.254.8.8"]}}}}}
                """.Replace("@net@", net, StringComparison.Ordinal));
            await SendAsync(HttpMethod.Post, $"containers/{id}/start");
            var endpoint = (await SendAsync(HttpMethod.Get, $"containers/{id}/json")).GetProperty("NetworkSettings").GetProperty("Networks").GetProperty(net);
            Assert.Equal("02:42:ac:11:00:0a", endpoint.GetProperty("MacAddress").GetString());
            Assert.Equal("169.254.8.8", endpoint.GetProperty("IPAMConfig").GetProperty("LinkLocalIPs")[0].GetString());
            Assert.Equal("10.251.0.4", endpoint.GetProperty("IPAddress").GetString()); // .2 and .3 are reserved
            Assert.Equal("02:42:ac:11:00:0a\n", await ExecOutputAsync(id, "cat", "/sys/class/net/eth0/address"));
            Assert.Contains("inet 169.254.8.8/16", await ExecOutputAsync(id, "ip", "addr", "show", "eth0"));

            // network connect with a MAC on a created container: shown at once, as Docker's endpoint config.
            other = await CreateAsync("""{"Image":"busybox","Cmd":["sleep","60"]}""");
            await SendAsync(HttpMethod.Post, $"networks/{net}/connect", """{"Container":"@other@","EndpointConfig":{"MacAddress":"02:42:ac:11:00:02"}}""".Replace("@other@", other, StringComparison.Ordinal));
            var connected = (await SendAsync(HttpMethod.Get, $"containers/{other}/json")).GetProperty("NetworkSettings").GetProperty("Networks").GetProperty(net);
            Assert.Equal("02:42:ac:11:00:02", connected.GetProperty("MacAddress").GetString());
        }
        finally
        {
            if (id.Length > 0) await daemon.DockerAsync("rm", "-f", id);
            if (other.Length > 0) await daemon.DockerAsync("rm", "-f", other);
            await daemon.DockerAsync("network", "rm", net);
        }
    }

    [Fact]
    public async Task LegacyLinks_EnvHostsInspectAndRemoval_AndEndpointLinksResolveOnUserNetworks()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var (target, linker, net, upstream, user) = ("edge-target-" + suffix, "edge-linker-" + suffix, "edge-links-" + suffix, "edge-up-" + suffix, "edge-user-" + suffix);
        try
        {
            var targetId = await CreateAsync("""{"Image":"busybox","Cmd":["sleep","60"],"Env":["FOO=1"],"ExposedPorts":{"80/tcp":{}}}""", target);
            await SendAsync(HttpMethod.Post, $"containers/{targetId}/start");
            var linkerId = await CreateAsync("""{"Image":"busybox","Cmd":["sh","-c","env; cat /etc/hosts"],"HostConfig":{"NetworkMode":"bridge","Links":["@target@:mylink"]}}""".Replace("@target@", target, StringComparison.Ordinal), linker);
            Assert.Equal($"/{target}:/{linker}/mylink", (await SendAsync(HttpMethod.Get, $"containers/{linkerId}/json")).GetProperty("HostConfig").GetProperty("Links")[0].GetString());
            await SendAsync(HttpMethod.Post, $"containers/{linkerId}/start");
            await SendAsync(HttpMethod.Post, $"containers/{linkerId}/wait");
            var logs = (await daemon.DockerAsync("logs", linkerId)).Stdout;
            Assert.Contains($"MYLINK_NAME=/{linker}/mylink\n", logs);
            Assert.Contains("MYLINK_ENV_FOO=1\n", logs);
            Assert.Matches(@"MYLINK_PORT_80_TCP=tcp://[0-9.]+:80\n", logs);
            Assert.Matches($@"[0-9.]+\tmylink [0-9a-f]{{12}} {target}\n", logs);

            await SendAsync(HttpMethod.Delete, $"containers/{linker}/mylink?link=1", expected: HttpStatusCode.NoContent);
            Assert.Equal(JsonValueKind.Null, (await SendAsync(HttpMethod.Get, $"containers/{linkerId}/json")).GetProperty("HostConfig").GetProperty("Links").ValueKind);
            await SendAsync(HttpMethod.Get, $"containers/{target}/json"); // the target stays

            // On a user network, EndpointSettings.Links are names only the linking container resolves.
            await SendAsync(HttpMethod.Post, "networks/create", """{"Name":"@net@"}""".Replace("@net@", net, StringComparison.Ordinal));
            var userId = await CreateAsync("""
                {"Image":"busybox","Cmd":["sleep","60"],"HostConfig":{"NetworkMode":"@net@"},
                 "NetworkingConfig":{"EndpointsConfig":{"@net@":{"Links":["@upstream@:bar"]}}}}
                """.Replace("@net@", net, StringComparison.Ordinal).Replace("@upstream@", upstream, StringComparison.Ordinal), user);
            await SendAsync(HttpMethod.Post, $"containers/{userId}/start");
            var upstreamId = await CreateAsync("""{"Image":"busybox","Cmd":["sleep","60"],"HostConfig":{"NetworkMode":"@net@"}}""".Replace("@net@", net, StringComparison.Ordinal), upstream);
            await SendAsync(HttpMethod.Post, $"containers/{upstreamId}/start");
            var upstreamIp = (await SendAsync(HttpMethod.Get, $"containers/{upstreamId}/json")).GetProperty("NetworkSettings").GetProperty("Networks").GetProperty(net).GetProperty("IPAddress").GetString();
            Assert.Contains(upstreamIp!, await ExecOutputAsync(user, "nslookup", "bar"));
        }
        finally
        {
            foreach (var name in new[] { linker, target, user, upstream }) await daemon.DockerAsync("rm", "-f", name);
            await daemon.DockerAsync("network", "rm", net);
        }
    }

    private static byte[] Context(params (string Name, string Text)[] files)
    {
        using var context = new MemoryStream();
        using (var tar = new TarWriter(context, leaveOpen: true))
            foreach (var (name, text) in files)
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
        return context.ToArray();
    }

    private async Task<List<JsonElement>> BuildAsync(string query, string dockerfile) => await BuildAsync(query, Context(("Dockerfile", dockerfile)));

    private async Task<List<JsonElement>> BuildAsync(string query, byte[] tar)
    {
        using var client = daemon.CreateHttpClient();
        var content = new ByteArrayContent(tar);
        content.Headers.ContentType = new("application/x-tar");
        using var response = await client.PostAsync("v1.44/build?" + query, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    private static string Streamed(List<JsonElement> messages) =>
        string.Concat(messages.Where(m => m.TryGetProperty("stream", out _)).Select(m => m.GetProperty("stream").GetString()));

    [Fact]
    public async Task Build_DockerfileOutsideTheContext_AsDockerPySendsIt_FirstParameterValueAndIgnoredFilesLeftOut()
    {
        // docker-py adds the outside Dockerfile under a random name, lists it (and .dockerignore) in .dockerignore,
        // and sends dockerfile=<name>&dockerfile=<contents>: Go's FormValue takes the first.
        var tag = "edge-oocd-" + Guid.NewGuid().ToString("N")[..6];
        const string Dockerfile = "FROM busybox\nCOPY . /src\nWORKDIR /src\n";
        var tar = Context(("file.txt", "hello world"), (".dockerignore", ".dockerignore\n.dockerfile.abc"), (".dockerfile.abc", Dockerfile));
        try
        {
            var messages = await BuildAsync($"t={tag}&dockerfile=.dockerfile.abc&dockerfile={Uri.EscapeDataString(Dockerfile)}", tar);
            Assert.StartsWith("Successfully tagged", messages[^1].GetProperty("stream").GetString(), StringComparison.Ordinal);
            var ls = await daemon.DockerAsync("run", "--rm", tag, "ls", "-a");
            Assert.Equal(".\n..\nfile.txt\n", ls.Stdout);
        }
        finally
        {
            await daemon.DockerAsync("rmi", "-f", tag);
        }
    }

    [Fact]
    public async Task Build_StderrRedExtraHostsNetworkModeAndCacheFrom_AsDockersLegacyBuilder()
    {
        var tag = "edge-build-" + Guid.NewGuid().ToString("N")[..6];
        try
        {
            var stderr = await BuildAsync("nocache=1", "FROM busybox\nRUN sh -c '>&2 echo oops'\n");
            Assert.Contains(stderr, m => m.TryGetProperty("stream", out var s) && s.GetString() == "\u001b[91moops\n\u001b[0m");

            var hosts = await BuildAsync($"t={tag}&extrahosts=extra.test:127.0.0.1&extrahosts=other.test:127.0.0.2", "FROM busybox\nRUN grep -q 'extra.test' /etc/hosts && ping -c1 -W1 extra.test && grep -q other.test /etc/hosts\n");
            Assert.DoesNotContain(hosts, m => m.TryGetProperty("errorDetail", out _));

            var none = await BuildAsync("nocache=1&networkmode=none", "FROM busybox\nRUN test -e /sys/class/net/eth0\n");
            Assert.Equal(1, none[^1].GetProperty("errorDetail").GetProperty("code").GetInt32());

            // --cache-from limits the cache to the steps those images were built through: an unknown one, none.
            const string Steps = "FROM busybox\nENV FOO=bar\nRUN touch /baz\n";
            await BuildAsync($"t={tag}", Steps);
            Assert.Equal(2, CountCached(await BuildAsync($"t={tag}&cachefrom=" + Uri.EscapeDataString($"[\"{tag}\"]"), Steps)));
            Assert.Equal(0, CountCached(await BuildAsync("cachefrom=" + Uri.EscapeDataString("[\"no-such-image-here\"]"), Steps)));
        }
        finally
        {
            await daemon.DockerAsync("rmi", "-f", tag);
        }

        static int CountCached(List<JsonElement> messages) => messages.Count(m => m.TryGetProperty("stream", out var s) && s.GetString()!.Contains("Using cache", StringComparison.Ordinal));
    }
}
