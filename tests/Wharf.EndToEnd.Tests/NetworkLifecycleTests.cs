using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Wharf.EndToEnd.Tests;

/// <summary>The network lifecycle API end to end: ls filters and prune filters with the docker CLI, create options
/// as the kernel and a container see them, network events, and bad input over the raw API (status, Docker's
/// wording, nothing created). Traffic only inside networks the test creates; every network is removed.</summary>
[Collection(DaemonCollection.Name)]
public sealed class NetworkLifecycleTests(DaemonFixture daemon)
{
    private static string Unique() => Guid.NewGuid().ToString("N")[..6];

    private static string RandomPrefix() => $"10.{Random.Shared.Next(64, 250)}.{Random.Shared.Next(0, 255)}";

    private async Task<string> OkAsync(params string[] args)
    {
        var r = await daemon.DockerAsync(args);
        Assert.True(r.ExitCode == 0, $"docker {string.Join(' ', args)}: {r}");
        return r.Stdout;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task LsFiltersAndPrune_DockerCliFiltersFormats_UntilInEveryForm_LabelNot()
    {
        var id = Unique();
        var suite = "suite=" + id;
        var (keep, loose, used) = ("lc-keep-" + id, "lc-loose-" + id, "lc-used-" + id);
        var c = "lc-c-" + id;
        try
        {
            var keepId = (await OkAsync("network", "create", "--label", suite, "--label", "keep=yes", keep)).Trim();
            await OkAsync("network", "create", "--label", suite, loose);
            await OkAsync("network", "create", "--label", suite, "--label", "tier=db", used);
            await OkAsync("run", "-d", "--name", c, "--network", used, "busybox", "sleep", "300");

            async Task<string[]> Ls(params string[] filters)
            {
                var args = new List<string> { "network", "ls", "--format", "{{.Name}}", "--filter", "label=" + suite };
                foreach (var f in filters) args.AddRange(["--filter", f]);
                return [.. Lines(await OkAsync([.. args])).Order(StringComparer.Ordinal)];
            }

            Assert.Equal(new[] { keep, loose, used }.Order(StringComparer.Ordinal), await Ls());
            Assert.Equal([keep, loose], await Ls("dangling=true"));
            Assert.Equal([used], await Ls("dangling=false"));
            Assert.Equal([used], await Ls("label=tier=db"));
            Assert.Equal([used], await Ls("label=tier"));
            Assert.Equal([keep], await Ls("id=" + keepId[..12]));
            Assert.Equal([loose], await Ls("name=loose-" + id));
            Assert.Equal(new[] { keep, loose, used }.Order(StringComparer.Ordinal), await Ls("driver=bridge", "scope=local", "type=custom"));
            Assert.Empty(await Ls("driver=macvlan"));
            Assert.Empty(await Ls("type=builtin"));
            var builtin = Lines(await OkAsync("network", "ls", "--filter", "type=builtin", "--format", "{{.Name}} {{.Driver}} {{.Scope}}"));
            Assert.Equal(["bridge bridge local", "host host local", "none null local"], builtin.Order(StringComparer.Ordinal));
            var quiet = Lines(await OkAsync("network", "ls", "-q", "--filter", "name=" + keep));
            Assert.Equal(keepId[..12], Assert.Single(quiet));
            var badType = await daemon.DockerAsync("network", "ls", "--filter", "type=user");
            Assert.Contains("invalid filter: 'type'='user'", badType.Stderr);

            // prune: until in Docker's forms (a duration, RFC 3339, unix seconds) keeps networks newer than it.
            // Only this test's networks are in scope (label=suite), the one in use never goes.
            var none = await OkAsync("network", "prune", "-f", "--filter", "label=" + suite, "--filter", "until=24h");
            Assert.DoesNotContain(loose, none);
            Assert.Equal(3, (await Ls()).Length);
            var bad = await daemon.DockerAsync("network", "prune", "-f", "--filter", "label=" + suite, "--filter", "until=yesterday");
            Assert.Contains("failed to parse value as time or duration: \"yesterday\"", bad.Stderr);
            Assert.Equal(3, (await Ls()).Length);

            var soon = DateTimeOffset.UtcNow.AddMinutes(5);
            var pruned = await OkAsync("network", "prune", "-f", "--filter", "label=" + suite, "--filter", "label!=keep",
                "--filter", "until=" + soon.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            Assert.Contains(loose, pruned);
            Assert.DoesNotContain(keep, pruned);
            Assert.Equal(new[] { keep, used }.Order(StringComparer.Ordinal), await Ls());
            pruned = await OkAsync("network", "prune", "-f", "--filter", "label=" + suite,
                "--filter", "until=" + soon.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            Assert.Contains(keep, pruned);
            Assert.Equal([used], await Ls());
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", c);
            await daemon.DockerAsync("network", "rm", keep, loose, used);
        }
    }

    [Fact]
    public async Task CreateOptions_BridgeNameMtuGatewayRangeAttachableIpv6_SeenByKernelAndContainer()
    {
        var id = Unique();
        var net = "lc-opts-" + id;
        var bridge = "wtlc" + id;
        var prefix = RandomPrefix();
        try
        {
            await OkAsync("network", "create", "-o", "com.docker.network.bridge.name=" + bridge, "-o", "com.docker.network.driver.mtu=1400",
                "-o", "com.example.not-a-bridge-option=kept", "--subnet", prefix + ".0/24", "--gateway", prefix + ".254",
                "--ip-range", prefix + ".128/25", "--attachable", "--ipv6", net);
            Assert.Equal("1400", File.ReadAllText($"/sys/class/net/{bridge}/mtu").Trim());

            using (var doc = JsonDocument.Parse(await OkAsync("network", "inspect", net)))
            {
                var n = doc.RootElement[0];
                Assert.True(n.GetProperty("Attachable").GetBoolean());
                Assert.True(n.GetProperty("EnableIPv6").GetBoolean());
                Assert.Equal("kept", n.GetProperty("Options").GetProperty("com.example.not-a-bridge-option").GetString());
                var pools = n.GetProperty("IPAM").GetProperty("Config").EnumerateArray().ToList();
                var v4 = Assert.Single(pools, p => !p.GetProperty("Subnet").GetString()!.Contains(':', StringComparison.Ordinal));
                Assert.Equal(prefix + ".254", v4.GetProperty("Gateway").GetString());
                Assert.Equal(prefix + ".128/25", v4.GetProperty("IPRange").GetString());
                var v6 = Assert.Single(pools, p => p.GetProperty("Subnet").GetString()!.Contains(':', StringComparison.Ordinal)).GetProperty("Subnet").GetString()!;
                Assert.Matches("^fd[0-9a-f]{2}:[0-9a-f:]+/64$", v6);
            }

            var inside = await OkAsync("run", "--rm", "--network", net, "busybox", "sh", "-c", "cat /sys/class/net/eth0/mtu; ip -4 route; ip -4 addr show eth0");
            Assert.StartsWith("1400\n", inside);
            Assert.Contains($"default via {prefix}.254", inside);
            Assert.Contains($"inet {prefix}.129/24", inside);

            var badMtu = await daemon.DockerAsync("network", "create", "-o", "com.docker.network.driver.mtu=huge", net + "-bad");
            Assert.Contains("failed to parse com.docker.network.driver.mtu value: huge", badMtu.Stderr);
            Assert.NotEqual(0, (await daemon.DockerAsync("network", "inspect", net + "-bad")).ExitCode);

            await OkAsync("network", "rm", net);
            Assert.False(Directory.Exists($"/sys/class/net/{bridge}"), "the named bridge must go with the network");
        }
        finally
        {
            await daemon.DockerAsync("network", "rm", net);
        }
    }

    [Fact]
    public async Task Events_CreateConnectDisconnectDestroy_WithDockersAttributes()
    {
        var id = Unique();
        var net = "lc-ev-" + id;
        var c = "lc-evc-" + id;
        var since = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        string netId;
        string containerId;
        try
        {
            netId = (await OkAsync("network", "create", net)).Trim();
            containerId = (await OkAsync("run", "-d", "--name", c, "busybox", "sleep", "300")).Trim();
            await OkAsync("network", "connect", net, c);
            await OkAsync("network", "disconnect", net, c);
            await OkAsync("network", "rm", net);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", c);
            await daemon.DockerAsync("network", "rm", net);
        }
        var until = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).ToString("F3", CultureInfo.InvariantCulture);
        var events = await OkAsync("events", "--filter", "type=network", "--since", since.ToString(CultureInfo.InvariantCulture),
            "--until", until, "--format", "{{json .}}");
        var ours = new List<(string Action, Dictionary<string, string> Attributes)>();
        foreach (var line in Lines(events))
        {
            using var doc = JsonDocument.Parse(line);
            var e = doc.RootElement;
            Assert.Equal("network", e.GetProperty("Type").GetString());
            if (e.GetProperty("Actor").GetProperty("ID").GetString() != netId) continue;
            Assert.Equal("local", e.GetProperty("scope").GetString());
            ours.Add((e.GetProperty("Action").GetString()!,
                e.GetProperty("Actor").GetProperty("Attributes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)));
        }
        Assert.Equal(["create", "connect", "disconnect", "destroy"], ours.Select(e => e.Action));
        foreach (var (action, attributes) in ours)
        {
            Assert.Equal(net, attributes["name"]);
            Assert.Equal("bridge", attributes["type"]);
            if (action is "connect" or "disconnect") Assert.Equal(containerId, attributes["container"]);
            else Assert.False(attributes.ContainsKey("container"));
        }
    }

    [Fact]
    public async Task RawApi_BadInput_StatusAndDockerWording_NothingCreated()
    {
        var id = Unique();
        var net = "lc-raw-" + id;
        var c = "lc-rawc-" + id;
        var c2 = "lc-rawd-" + id;
        var c3 = "lc-rawe-" + id;
        var prefix = RandomPrefix();
        using var client = daemon.CreateHttpClient();

        async Task<(HttpStatusCode Status, string Message)> SendAsync(HttpMethod method, string path, string? body = null)
        {
            using var request = new HttpRequestMessage(method, "v1.50/" + path)
            {
                Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
            };
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var message = (int)response.StatusCode >= 400 ? JsonDocument.Parse(text).RootElement.GetProperty("message").GetString()! : text;
            return (response.StatusCode, message);
        }

        async Task<string[]> NetworkNames() =>
            [.. JsonDocument.Parse(await client.GetStringAsync("v1.50/networks")).RootElement.EnumerateArray().Select(n => n.GetProperty("Name").GetString()!).Order(StringComparer.Ordinal)];

        static string Create(string name, string subnet = "", string gateway = "", string driver = "bridge", string options = "{}") =>
            $$"""{"Name":"{{name}}","Driver":"{{driver}}","IPAM":{"Config":[{{(subnet.Length == 0 ? "" : $$"""{"Subnet":"{{subnet}}"{{(gateway.Length == 0 ? "" : $",\"Gateway\":\"{gateway}\"")}}}""")}}]},"Options":{{options}}}""";

        static string ConnectWithIp(string container, string ip) =>
            "{\"Container\":\"" + container + "\",\"EndpointConfig\":{\"IPAMConfig\":{\"IPv4Address\":\"" + ip + "\"}}}";

        try
        {
            var (status, _) = await SendAsync(HttpMethod.Post, "networks/create", Create(net, prefix + ".0/24"));
            Assert.Equal(HttpStatusCode.Created, status);
            await OkAsync("run", "-d", "--name", c, "--network", net, "busybox", "sleep", "300");
            await OkAsync("run", "-d", "--name", c2, "busybox", "sleep", "300");
            var taken = (await OkAsync("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{net}\").IPAddress}}}}", c)).Trim();
            var before = await NetworkNames();

            var cases = new (string Path, string Body, HttpStatusCode Status, string Message)[]
            {
                ("networks/create", Create(net + "-o", prefix + ".128/25"), HttpStatusCode.Forbidden,
                    "invalid pool request: Pool overlaps with other one on this address space"),
                ("networks/create", Create(net + "-g", RandomPrefix() + ".0/24", "192.0.2.1"), HttpStatusCode.BadRequest,
                    "invalid network config:\ninvalid gateway 192.0.2.1: parent subnet "),
                ("networks/create", Create(net + "-d", driver: "no-such-driver"), HttpStatusCode.NotFound, "plugin \"no-such-driver\" not found"),
                ("networks/create", "{\"Name\": \"" + net + "-j\", ", HttpStatusCode.BadRequest, "invalid JSON: "),
                ("networks/create", Create(net + "-m", options: "{\"com.docker.network.driver.mtu\":\"-5\"}"), HttpStatusCode.BadRequest, "invalid MTU number: -5"),
                ("networks/create", Create(net), HttpStatusCode.Conflict, $"network with name {net} already exists"),
                ($"networks/{net}/connect", $$"""{"Container":"{{c}}"}""", HttpStatusCode.Forbidden, $"endpoint with name {c} already exists in network {net}"),
                ($"networks/{net}/connect", """{"Container":"no-such-container-x"}""", HttpStatusCode.NotFound, "No such container: no-such-container-x"),
                ($"networks/{net}/connect", ConnectWithIp(c2, "192.0.2.7"), HttpStatusCode.BadRequest,
                    "invalid endpoint settings:\nno configured subnet or ip-range contain the IP address 192.0.2.7"),
                ($"networks/{net}/connect", ConnectWithIp(c2, taken), HttpStatusCode.Forbidden,
                    "Address already in use"),
                ("networks/prune?filters=" + Uri.EscapeDataString("{\"until\":{\"tomorrow\":true}}"), "", HttpStatusCode.BadRequest,
                    "failed to parse value as time or duration: \"tomorrow\""),
                ("networks/prune?filters=" + Uri.EscapeDataString("{\"dangling\":{\"true\":true}}"), "", HttpStatusCode.BadRequest, "invalid filter 'dangling'"),
            };
            foreach (var (path, body, expected, message) in cases)
            {
                var (got, text) = await SendAsync(HttpMethod.Post, path, body);
                Assert.True(expected == got, $"POST {path} {body}: {got} {text}");
                Assert.StartsWith(message, text, StringComparison.Ordinal);
            }

            var (deleteStatus, deleteMessage) = await SendAsync(HttpMethod.Delete, "networks/" + net);
            Assert.Equal(HttpStatusCode.Forbidden, deleteStatus);
            Assert.Contains($"network {net} id ", deleteMessage);
            Assert.Contains("has active endpoints", deleteMessage);
            var (listStatus, listMessage) = await SendAsync(HttpMethod.Get, "networks?filters=" + Uri.EscapeDataString("{\"type\":{\"user\":true}}"));
            Assert.Equal(HttpStatusCode.BadRequest, listStatus);
            Assert.Equal("invalid filter: 'type'='user'", listMessage);

            // A static address outside the network is refused before anything runs: at create, and at connect of
            // a stopped container (Docker checks both up front).
            var createOutside = await daemon.DockerAsync("create", "--name", c3, "--network", net, "--ip", "192.0.2.9", "busybox", "true");
            Assert.Contains("no configured subnet or ip-range contain the IP address 192.0.2.9", createOutside.Stderr);
            Assert.NotEqual(0, (await daemon.DockerAsync("inspect", c3)).ExitCode);
            await OkAsync("create", "--name", c3, "busybox", "true");
            var connectStopped = await daemon.DockerAsync("network", "connect", "--ip", "192.0.2.9", net, c3);
            Assert.Contains("no configured subnet or ip-range contain the IP address 192.0.2.9", connectStopped.Stderr);
            Assert.Equal("bridge", (await OkAsync("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}", c3)).Trim());

            // Nothing was created, nothing was removed, and the container is still attached once.
            Assert.Equal(before, await NetworkNames());
            Assert.Equal(c, (await OkAsync("network", "inspect", "-f", "{{range .Containers}}{{.Name}}{{end}}", net)).Trim());
            Assert.Equal("bridge", (await OkAsync("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}", c2)).Trim());
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", c, c2, c3);
            await daemon.DockerAsync("network", "rm", net);
        }
        Assert.NotEqual(0, (await daemon.DockerAsync("network", "inspect", net)).ExitCode);
    }
}
