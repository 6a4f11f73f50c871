using Wharf.Compose.Loading;
using Wharf.Compose.Model;
using Wharf.Compose.Planning;
using Wharf.Compose.Planning.Hash;

namespace Wharf.Compose.Tests;

/// <summary>Spec keys that go straight to the engine: they load, reach the create request, and join the hash
/// where compose-go's ServiceConfig puts them.</summary>
public sealed class PassThroughTests
{
    private const string Yaml = """
        services:
          a:
            image: busybox
            annotations: { com.example/x: "1" }
            ipc: shareable
            pid: host
            userns_mode: host
            cgroup: private
            cgroup_parent: /wharf
            cpuset: "0-1"
            cpu_shares: 512
            mem_reservation: 32m
            memswap_limit: 128m
            oom_score_adj: -500
            oom_kill_disable: true
            security_opt: [no-new-privileges:true]
            group_add: [audio]
            dns_opt: [ndots:2]
            devices: ["/dev/null:/dev/mynull:r", "/dev/zero"]
            mac_address: 02:42:ac:11:00:02
            volumes: ["data:/data:z"]
        volumes:
          data:
        """;

    private static ComposeProject Load(TempProject dir)
    {
        dir.Write("compose.yaml", Yaml);
        return new ComposeLoader().Load(new LoadOptions { CurrentDirectory = dir.Dir, Environment = _ => null, ProjectName = "proj" });
    }

    [Fact]
    public void CreateRequest_CarriesTheSettings()
    {
        using var dir = new TempProject();
        var project = Load(dir);
        var request = ContainerSpecBuilder.Build(project, project.Service("a")!, 1, oneOff: false);
        var host = request.HostConfig!;

        Assert.Equal(("shareable", "host", "host", "private", "/wharf", "0-1"), (host.IpcMode, host.PidMode, host.UsernsMode, host.Cgroup, host.CgroupParent, host.CpusetCpus));
        Assert.Equal((512L, 32L << 20, 128L << 20, -500, (bool?)true), (host.CpuShares, host.MemoryReservation, host.MemorySwap, host.OomScoreAdj, host.OomKillDisable));
        Assert.Equal(["no-new-privileges:true"], host.SecurityOpt);
        Assert.Equal(["audio"], host.GroupAdd);
        Assert.Equal(["ndots:2"], host.DnsOptions);
        Assert.Equal([("/dev/null", "/dev/mynull", "r"), ("/dev/zero", "/dev/zero", "rwm")], host.Devices!.Select(d => (d.PathOnHost, d.PathInContainer, d.CgroupPermissions)));
        Assert.Equal("1", host.Annotations!["com.example/x"]);
        Assert.Equal("02:42:ac:11:00:02", request.MacAddress);
    }

    [Fact]
    public void Hash_PlacesThemInComposeGoFieldOrder()
    {
        using var dir = new TempProject();
        var project = Load(dir);

        var expected = "{"
            + "\"annotations\":{\"com.example/x\":\"1\"},"
            + "\"cgroup_parent\":\"/wharf\",\"cgroup\":\"private\",\"cpuset\":\"0-1\",\"cpu_shares\":512,"
            + "\"command\":null,"
            + "\"devices\":[{\"source\":\"/dev/null\",\"target\":\"/dev/mynull\",\"permissions\":\"r\"},{\"source\":\"/dev/zero\",\"target\":\"/dev/zero\",\"permissions\":\"rwm\"}],"
            + "\"dns_opt\":[\"ndots:2\"],"
            + "\"entrypoint\":null,"
            + "\"group_add\":[\"audio\"],"
            + "\"image\":\"busybox\",\"ipc\":\"shareable\","
            + "\"mem_reservation\":\"33554432\",\"memswap_limit\":\"134217728\",\"mac_address\":\"02:42:ac:11:00:02\","
            + "\"networks\":{\"default\":null},"
            + "\"oom_kill_disable\":true,\"oom_score_adj\":-500,\"pid\":\"host\","
            + "\"security_opt\":[\"no-new-privileges:true\"],"
            + "\"userns_mode\":\"host\","
            + "\"volumes\":[{\"type\":\"volume\",\"source\":\"data\",\"target\":\"/data\",\"bind\":{\"selinux\":\"z\"},\"volume\":{}}]"
            + "}";
        Assert.Equal(expected, ComposeServiceHash.Json(project, project.Service("a")!));
    }

    [Fact]
    public void Devices_TooManyColons_AskForTheLongSyntax()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", "services:\n  a:\n    image: busybox\n    devices: [\"a:b:c:d\"]\n");

        var ex = Assert.Throws<ComposeException>(() => new ComposeLoader().Load(new LoadOptions { CurrentDirectory = dir.Dir, Environment = _ => null }));
        Assert.Contains("services.a.devices[0]: confusing device mapping", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigOutput_LoadsBackToTheSameComposeHash()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", Yaml.Replace("volumes: [\"data:/data:z\"]", "volumes: [\"data:/data:z\", \"./src:/src:ro\", \"/anon\", { type: bind, source: ./x, target: /x }, { type: tmpfs, target: /t, tmpfs: { size: 1m } }]", StringComparison.Ordinal));
        var options = new LoadOptions { CurrentDirectory = dir.Dir, Environment = _ => null, ProjectName = "proj" };
        var project = new ComposeLoader().Load(options);
        var output = dir.Write("normalised.yaml", Wharf.Compose.Output.NodeWriter.ToYaml(Wharf.Compose.Output.ConfigModel.Build(project)));

        var reloaded = new ComposeLoader().Load(new LoadOptions { CurrentDirectory = dir.Dir, Environment = _ => null, ProjectName = "proj", Files = [output] });

        Assert.Equal(ComposeServiceHash.Json(project, project.Service("a")!), ComposeServiceHash.Json(reloaded, reloaded.Service("a")!));
    }

    [Fact]
    public void ConfigOutput_LimitsAndDeploy_LoadBackToTheSameComposeHash()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", """
            services:
              a:
                image: busybox
                mem_limit: 64m
                cpus: 0.5
                deploy:
                  replicas: 2
                  labels: { x: y }
                  resources:
                    limits: { pids: 100 }
                    reservations: { memory: 16m }
                  restart_policy: { condition: on-failure, delay: 90s, max_attempts: 2 }
            """);
        var project = new ComposeLoader().Load(new LoadOptions { CurrentDirectory = dir.Dir, Environment = _ => null, ProjectName = "proj" });
        var output = dir.Write("normalised.yaml", Wharf.Compose.Output.NodeWriter.ToYaml(Wharf.Compose.Output.ConfigModel.Build(project)));

        var reloaded = new ComposeLoader().Load(new LoadOptions { CurrentDirectory = dir.Dir, Environment = _ => null, ProjectName = "proj", Files = [output] });

        Assert.Equal(ComposeServiceHash.Json(project, project.Service("a")!), ComposeServiceHash.Json(reloaded, reloaded.Service("a")!));
        Assert.Equal(2, reloaded.Service("a")!.Replicas);
    }

    [Fact]
    public void Deploy_RestartPolicyAndReservations_ReachTheEngineAndTheHash()
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", """
            services:
              a:
                image: busybox
                restart: always
                deploy:
                  restart_policy: { condition: on-failure, max_attempts: 3, delay: 5s }
                  resources:
                    reservations: { memory: 16m }
            """);
        var project = new ComposeLoader().Load(new LoadOptions { CurrentDirectory = dir.Dir, Environment = _ => null, ProjectName = "proj" });
        var host = ContainerSpecBuilder.Build(project, project.Service("a")!, 1, oneOff: false).HostConfig!;

        Assert.Equal(("on-failure", 3), (host.RestartPolicy!.Name, host.RestartPolicy.MaximumRetryCount));
        Assert.Equal(16L << 20, host.MemoryReservation);
        Assert.Contains(
            "\"deploy\":{\"resources\":{\"reservations\":{\"memory\":\"16777216\"}},\"restart_policy\":{\"condition\":\"on-failure\",\"delay\":\"5s\",\"max_attempts\":3},\"placement\":{}}",
            ComposeServiceHash.Json(project, project.Service("a")!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none", "no")]
    [InlineData("any", "always")]
    [InlineData("unless-stopped", "unless-stopped")]
    public void Restart_DeployConditionNames_MapToTheEngines(string condition, string engine)
    {
        using var dir = new TempProject();
        dir.Write("compose.yaml", $"services:\n  a:\n    image: busybox\n    deploy:\n      restart_policy: {{ condition: {condition} }}\n");
        var project = new ComposeLoader().Load(new LoadOptions { CurrentDirectory = dir.Dir, Environment = _ => null });

        Assert.Equal(engine, ContainerSpecBuilder.Build(project, project.Service("a")!, 1, oneOff: false).HostConfig!.RestartPolicy!.Name);
    }
}
