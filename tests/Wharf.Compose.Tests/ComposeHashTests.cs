using System.Security.Cryptography;
using System.Text;
using Wharf.Compose.Execution;
using Wharf.Compose.Loading;
using Wharf.Compose.Model;
using Wharf.Compose.Planning;
using Wharf.Compose.Planning.Hash;

namespace Wharf.Compose.Tests;

/// <summary>The config hash must be Docker Compose v2's, byte for byte: these tests pin the JSON that is
/// hashed to what compose-go's ServiceConfig marshals to (field order, omitempty, Go escaping).</summary>
public sealed class ComposeHashTests
{
    private static ComposeProject Load(TempProject dir, string yaml, Dictionary<string, string>? env = null)
    {
        dir.Write("compose.yaml", yaml);
        return new ComposeLoader().Load(new LoadOptions { CurrentDirectory = dir.Dir, Environment = k => env?.GetValueOrDefault(k), ProjectName = "proj" });
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Json_ImageOnlyService_IsComposeGoShape()
    {
        using var dir = new TempProject();
        var project = Load(dir, "services:\n  hello1:\n    image: alpine:3.13\n");

        Assert.Equal(
            """{"command":null,"entrypoint":null,"image":"alpine:3.13","networks":{"default":null}}""",
            ComposeServiceHash.Json(project, project.Service("hello1")!));
    }

    [Fact]
    public void Json_WithComposeV222DeployDefault_HashesToTheValueComposeV222Printed()
    {
        // Compose v2.22 forced deploy {replicas: 1} into the hashed service; for this file its
        // `config --hash '*'` printed 5bc8bc96… (docker/compose#11145). Inserting that member into our JSON
        // must give the same digest, which checks member order, nulls and struct-valued members against Compose.
        using var dir = new TempProject();
        var project = Load(dir, "services:\n  hello1:\n    image: alpine:3.13\n");
        var json = ComposeServiceHash.Json(project, project.Service("hello1")!)
            .Replace("\"command\":null,", "\"command\":null,\"deploy\":{\"replicas\":1,\"resources\":{},\"placement\":{}},", StringComparison.Ordinal);

        Assert.Equal("5bc8bc96d82232fd5546825b6e64c03b2074467edf89dc48be706283b8e4b4d6", Sha256(json));
    }

    [Fact]
    public void Json_RichService_FollowsComposeGoNormalisation()
    {
        using var dir = new TempProject();
        dir.Write("secret.txt", "s");
        dir.Write("conf.txt", "c");
        var project = Load(dir, """
            services:
              web:
                image: nginx:1
                command: echo "a<b>&c"
                environment:
                  - B=2
                  - A
                  - UNSET
                ports:
                  - "127.0.0.1:8080:80"
                  - "9000:90/udp"
                volumes:
                  - data:/data:ro
                  - ./src:/src
                  - /anon/
                healthcheck:
                  test: wget -q localhost
                  interval: 90s
                  timeout: 500ms
                  retries: 3
                ulimits:
                  nproc: 65535
                  nofile: { soft: 1024, hard: 2048 }
                extra_hosts:
                  - "zed:10.0.0.2"
                  - "alpha=10.0.0.1"
                deploy:
                  replicas: 2
                  resources:
                    limits: { cpus: "0.5", memory: 64M }
                secrets: [token]
                configs:
                  - source: conf
                    mode: 0440
                labels:
                  x: "1"
                stop_grace_period: 1m30s
                init: true
            volumes:
              data:
            secrets:
              token: { file: ./secret.txt }
            configs:
              conf: { file: ./conf.txt }
            """, new() { ["A"] = "from-env" });

        var expected = "{"
            + "\"command\":[\"echo\",\"a\\u003cb\\u003e\\u0026c\"],"
            + "\"configs\":[{\"source\":\"conf\",\"mode\":\"0440\"}],"
            + "\"deploy\":{\"resources\":{\"limits\":{\"cpus\":0.5,\"memory\":\"67108864\"}},\"placement\":{}},"
            + "\"entrypoint\":null,"
            + "\"environment\":{\"A\":\"from-env\",\"B\":\"2\",\"UNSET\":null},"
            + "\"extra_hosts\":[\"alpha=10.0.0.1\",\"zed=10.0.0.2\"],"
            + "\"healthcheck\":{\"test\":[\"CMD-SHELL\",\"wget -q localhost\"],\"timeout\":\"500ms\",\"interval\":\"1m30s\",\"retries\":3},"
            + "\"image\":\"nginx:1\","
            + "\"init\":true,"
            + "\"labels\":{\"x\":\"1\"},"
            + "\"networks\":{\"default\":null},"
            + "\"ports\":[{\"mode\":\"ingress\",\"host_ip\":\"127.0.0.1\",\"target\":80,\"published\":\"8080\",\"protocol\":\"tcp\"},"
            + "{\"mode\":\"ingress\",\"target\":90,\"published\":\"9000\",\"protocol\":\"udp\"}],"
            + "\"secrets\":[{\"source\":\"token\",\"target\":\"/run/secrets/token\"}],"
            + "\"stop_grace_period\":\"1m30s\","
            + "\"ulimits\":{\"nofile\":{\"soft\":1024,\"hard\":2048},\"nproc\":65535},"
            + "\"volumes\":[{\"type\":\"volume\",\"source\":\"data\",\"target\":\"/data\",\"read_only\":true,\"volume\":{}},"
            + "{\"type\":\"bind\",\"source\":\"" + Path.Combine(dir.Dir, "src") + "\",\"target\":\"/src\",\"bind\":{\"create_host_path\":true}},"
            + "{\"type\":\"volume\",\"target\":\"/anon\",\"volume\":{}}]"
            + "}";
        Assert.Equal(expected, ComposeServiceHash.Json(project, project.Service("web")!));
    }

    [Fact]
    public void Json_NetworksGivenAsMapping_AreObjectsAndBareNamesNull()
    {
        using var dir = new TempProject();
        var project = Load(dir, """
            services:
              a:
                image: busybox
                networks:
                  front: { aliases: [www], ipv4_address: 172.28.0.10 }
                  back: {}
                  side:
            networks: { front: {}, back: {}, side: {} }
            """);

        Assert.Contains(
            "\"networks\":{\"back\":{},\"front\":{\"aliases\":[\"www\"],\"ipv4_address\":\"172.28.0.10\"},\"side\":null}",
            ComposeServiceHash.Json(project, project.Service("a")!), StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_IgnoresWhatComposeClearsBeforeHashing()
    {
        using var dir = new TempProject();
        var plain = Load(dir, "services:\n  a:\n    image: busybox\n  b:\n    image: busybox\n");
        var hash = ComposeServiceHash.Compute(plain, plain.Service("a")!);

        var extra = Load(dir, """
            services:
              a:
                image: busybox
                build: .
                pull_policy: never
                scale: 3
                depends_on: [b]
                profiles: [p]
              b:
                image: busybox
            """);
        var a = extra.Service("a") ?? extra.DisabledServices.Single(s => s.Name == "a");

        Assert.Equal(hash, ComposeServiceHash.Compute(extra, a));
    }

    [Fact]
    public void Hash_ChangesWithTheService()
    {
        using var dir = new TempProject();
        var one = Load(dir, "services:\n  a:\n    image: busybox\n    environment: [X=1]\n");
        var two = Load(dir, "services:\n  a:\n    image: busybox\n    environment: [X=2]\n");

        Assert.NotEqual(ComposeServiceHash.Compute(one, one.Service("a")!), ComposeServiceHash.Compute(two, two.Service("a")!));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_600_000, "1h0m0s")]
    [InlineData(500, "500ms")]
    [InlineData(1_500, "1.5s")]
    [InlineData(10_000, "10s")]
    [InlineData(5_400_250, "1h30m0.25s")]
    public void GoDuration_FormatsLikeGo(long milliseconds, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void GoDuration_SubMillisecond_UsesMicroAndNanoUnits()
    {
        Assert.Equal("1.5ms", GoDuration.Format(TimeSpan.FromMicroseconds(1500)));
        Assert.Equal("2µs", GoDuration.Format(TimeSpan.FromMicroseconds(2)));
        Assert.Equal("100ns", GoDuration.Format(TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void Container_CarriesComposeHashAndImageId()
    {
        using var dir = new TempProject();
        var project = Load(dir, "services:\n  a:\n    image: busybox\n");
        var request = ContainerSpecBuilder.Build(project, project.Service("a")!, 1, oneOff: false, imageId: "sha256:abc");

        Assert.Equal(ComposeServiceHash.Compute(project, project.Service("a")!), request.Labels![ComposeLabels.ConfigHash]);
        Assert.Equal("sha256:abc", request.Labels[ComposeLabels.Image]);
    }

    [Fact]
    public async Task Up_NewImageUnderSameTag_RecreatesLikeCompose()
    {
        using var dir = new TempProject();
        var project = Load(dir, "services:\n  a:\n    image: busybox\n");
        var engine = new FakeComposeEngine();
        await new ComposeService(engine, TextWriter.Null).UpAsync(project, new UpOptions(), CancellationToken.None);
        Assert.Equal("sha256:" + new string('a', 64), engine.Containers.Values.Single().Request.Labels![ComposeLabels.Image]);

        engine.Calls.Clear();
        await new ComposeService(engine, TextWriter.Null).UpAsync(project, new UpOptions(), CancellationToken.None);
        Assert.Empty(engine.Calls);

        engine.ImageIds["busybox"] = "sha256:" + new string('b', 64);
        await new ComposeService(engine, TextWriter.Null).UpAsync(project, new UpOptions(), CancellationToken.None);
        Assert.Equal(["stop proj-a-1", "rm proj-a-1", "create proj-a-1", "start proj-a-1"], engine.Calls);
        Assert.Equal("sha256:" + new string('b', 64), engine.Containers.Values.Single().Request.Labels![ComposeLabels.Image]);
    }

    [Fact]
    public async Task Up_NetworkModeService_HashesTheResolvedContainerAndKeepsItOnSecondUp()
    {
        using var dir = new TempProject();
        var project = Load(dir, "services:\n  a:\n    image: busybox\n  b:\n    image: busybox\n    network_mode: service:a\n");
        var engine = new FakeComposeEngine();
        var compose = new ComposeService(engine, TextWriter.Null);
        await compose.UpAsync(project, new UpOptions(), CancellationToken.None);
        var a = engine.Containers.Single(c => c.Value.Name == "proj-a-1").Key;
        var b = engine.Containers.Values.Single(c => c.Name == "proj-b-1");

        Assert.Equal("container:" + a, b.Request.HostConfig!.NetworkMode);
        Assert.Contains("\"network_mode\":\"container:" + a + "\"", ComposeServiceHash.Json(project, project.Service("b")!, new ResolvedReferences("container:" + a)), StringComparison.Ordinal);
        engine.Calls.Clear();
        await compose.UpAsync(project, new UpOptions(), CancellationToken.None);
        Assert.Empty(engine.Calls);
    }
}
