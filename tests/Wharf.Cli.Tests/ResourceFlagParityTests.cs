using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Wharf.Api;
using Wharf.Cli.Commands.Containers;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Tests;

/// <summary>The docker flags that left the help parity test's NotYet table: each parses as docker's CLI parses it and
/// lands in the Engine API field (or /build query parameter) docker sends.</summary>
public sealed class ResourceFlagParityTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("wharf-flag-parity-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static Api.Containers.ContainerCreateRequest Build(Func<string, IEnumerable<string>> readLines, params string[] args) =>
        ContainerOptions.Build(ArgParser.Parse(args, ContainerOptions.RunSpecs, true), detach: false, _ => null, readLines);

    private static Api.Containers.ContainerCreateRequest Build(params string[] args) => Build(_ => [], args);

    [Fact]
    public void Build_LabelFile_ReadsKeyValueLinesAndFlagsOverride()
    {
        var request = Build(
            file => file == "labels" ? ["# comment", "", "team=core", "bare", "  indented=yes", "dup=file"] : throw new FileNotFoundException(file),
            "--label-file", "labels", "-l", "dup=flag", "busybox");

        Assert.Equal("core", request.Labels!["team"]);
        Assert.Equal("", request.Labels["bare"]);
        Assert.Equal("yes", request.Labels["indented"]);
        Assert.Equal("flag", request.Labels["dup"]);
        Assert.Equal(4, request.Labels.Count);
    }

    [Fact]
    public void Build_ResourceFlags_LandInDockersHostConfigFields()
    {
        var request = Build("--annotation", "org.example.a=1", "--annotation", "flag", "--device-cgroup-rule", "c 42:* rmw",
            "--cgroup-parent", "/custom", "--blkio-weight-device", "/dev/sda:200", "--device-read-bps", "/dev/sda:1mb",
            "--device-write-bps", "/dev/sdb:512", "--device-read-iops", "/dev/sda:1000", "--device-write-iops", "/dev/sdb:20",
            "--cpu-rt-period", "1000000", "--cpu-rt-runtime", "950000", "--storage-opt", "size=10G", "--cpu-count", "2",
            "--cpu-percent", "50", "--io-maxbandwidth", "1m", "--io-maxiops", "300", "--isolation", "default", "--kernel-memory", "64m", "busybox");
        var host = request.HostConfig!;

        Assert.Equal(new Dictionary<string, string> { ["org.example.a"] = "1", ["flag"] = "" }, host.Annotations);
        Assert.Equal(["c 42:* rmw"], host.DeviceCgroupRules!);
        Assert.Equal("/custom", host.CgroupParent);
        Assert.Equal(("/dev/sda", 200), (host.BlkioWeightDevice![0].Path, host.BlkioWeightDevice[0].Weight));
        Assert.Equal(("/dev/sda", 1L << 20), (host.BlkioDeviceReadBps![0].Path, host.BlkioDeviceReadBps[0].Rate));
        Assert.Equal(("/dev/sdb", 512L), (host.BlkioDeviceWriteBps![0].Path, host.BlkioDeviceWriteBps[0].Rate));
        Assert.Equal(("/dev/sda", 1000L), (host.BlkioDeviceReadIOps![0].Path, host.BlkioDeviceReadIOps[0].Rate));
        Assert.Equal(("/dev/sdb", 20L), (host.BlkioDeviceWriteIOps![0].Path, host.BlkioDeviceWriteIOps[0].Rate));
        Assert.Equal((1_000_000L, 950_000L), (host.CpuRealtimePeriod, host.CpuRealtimeRuntime));
        Assert.Equal("10G", host.StorageOpt!["size"]);
        Assert.Equal((2L, 50L, 1L << 20, 300L), (host.CpuCount, host.CpuPercent, host.IOMaximumBandwidth, host.IOMaximumIOps));
        Assert.Equal("default", host.Isolation);
        Assert.Equal(64L << 20, host.KernelMemory);
    }

    [Fact]
    public void Build_NoResourceFlags_LeavesTheFieldsOut()
    {
        var json = JsonSerializer.Serialize(Build("busybox"), ApiJsonContext.Default.ContainerCreateRequest);
        var host = JsonDocument.Parse(json).RootElement.GetProperty("HostConfig");

        foreach (var field in new[] { "Annotations", "DeviceCgroupRules", "BlkioWeightDevice", "BlkioDeviceReadBps", "StorageOpt", "KernelMemory" })
        {
            Assert.True(!host.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null, field);
        }
    }

    [Fact]
    public void Build_LinkLocalIp_GoesToTheEndpointsIpamConfig()
    {
        var request = Build("--network", "net1", "--link-local-ip", "169.254.1.1", "--link-local-ip", "fe80::1", "busybox");

        var endpoint = request.NetworkingConfig!.EndpointsConfig!["net1"];
        Assert.Equal(["169.254.1.1", "fe80::1"], endpoint.IPAMConfig!.LinkLocalIPs!);
        Assert.Null(endpoint.IPAMConfig.IPv4Address);
    }

    [Theory]
    [InlineData("--blkio-weight-device", "sda:200", "bad format for device path: sda:200")]
    [InlineData("--blkio-weight-device", "/dev/sda", "bad format: /dev/sda")]
    [InlineData("--blkio-weight-device", "/dev/sda:5", "invalid weight for device: /dev/sda:5")]
    [InlineData("--blkio-weight-device", "/dev/sda:x", "invalid weight for device: /dev/sda:x")]
    [InlineData("--device-read-bps", "/dev/sda:fast", "invalid rate for device: /dev/sda:fast. The correct format is <device-path>:<number>[<unit>]. Number must be a positive integer. Unit is optional and can be kb, mb, or gb")]
    [InlineData("--device-write-iops", "/dev/sda:1k", "invalid rate for device: /dev/sda:1k. The correct format is <device-path>:<number>. Number must be a positive integer")]
    [InlineData("--device-cgroup-rule", "c 1:2", "invalid device cgroup format 'c 1:2'")]
    [InlineData("--storage-opt", "size", "invalid storage option")]
    public void Build_MalformedDeviceFlags_FailWithDockersWords(string flag, string value, string reason)
    {
        var error = Assert.Throws<CliUsageException>(() => Build(flag, value, "busybox"));

        Assert.EndsWith(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Quiet_PullsAMissingImageWithoutPrintingAnything()
    {
        var creates = 0;
        await using var daemon = new FakeDaemon((request, socket) => request.Path switch
        {
            "/v1.50/containers/create" when Interlocked.Increment(ref creates) == 1 => FakeDaemon.RespondAsync(socket, 404, """{"message":"No such image: busybox:latest"}"""),
            "/v1.50/containers/create" => FakeDaemon.RespondAsync(socket, 201, """{"Id":"c0ffee","Warnings":[]}"""),
            _ => FakeDaemon.RespondAsync(socket, 200, """{"status":"Pulling from library/busybox","id":"latest"}""" + "\n" + """{"status":"Status: Downloaded newer image for busybox:latest"}"""),
        });

        var quiet = await CliRun.Async(daemon, ["create", "-q", "busybox"]);

        Assert.True(quiet.ExitCode == 0, quiet.Err);
        Assert.Equal("c0ffee\n", quiet.Out);
        Assert.Equal("", quiet.Err);
        Assert.Contains(daemon.Requests, r => r.Path == "/v1.50/images/create");

        creates = 0;
        var loud = await CliRun.Async(daemon, ["create", "busybox"]);
        Assert.Contains("Unable to find image 'busybox:latest' locally", loud.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UseApiSocket_MountsTheEngineSocketAndCopiesTheLoginsIn()
    {
        var config = Path.Combine(_dir.FullName, "config.json");
        File.WriteAllText(config, """{"auths":{"127.0.0.1:5000":{"auth":"dXNlcjpwYXNz"}}}""");
        await using var daemon = new FakeDaemon((request, socket) => request.Method == "PUT"
            ? FakeDaemon.RespondAsync(socket, 200)
            : FakeDaemon.RespondAsync(socket, 201, """{"Id":"c0ffee","Warnings":[]}"""));

        var run = await CliRun.Async(daemon, ["create", "--use-api-socket", "busybox"], environment: n => n == "DOCKER_CONFIG" ? _dir.FullName : null);

        Assert.True(run.ExitCode == 0, run.Err);
        var requests = daemon.Requests.ToList();
        var body = JsonDocument.Parse(requests[0].Body).RootElement;
        var mount = Assert.Single(body.GetProperty("HostConfig").GetProperty("Mounts").EnumerateArray());
        Assert.Equal(("bind", daemon.SocketPath, "/var/run/docker.sock"),
            (mount.GetProperty("Type").GetString(), mount.GetProperty("Source").GetString(), mount.GetProperty("Target").GetString()));
        Assert.Contains("DOCKER_CONFIG=/run/secrets/docker", body.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("PUT", requests[1].Method);
        Assert.Equal("/v1.50/containers/c0ffee/archive?path=%2F", requests[1].Target);
        using var reader = new TarReader(new MemoryStream(Encoding.Latin1.GetBytes(requests[1].Body)));
        var entry = reader.GetNextEntry()!;
        Assert.Equal("/run/secrets/docker/config.json", entry.Name);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, entry.Mode);
        var copied = JsonDocument.Parse(entry.DataStream!).RootElement;
        Assert.Equal("dXNlcjpwYXNz", copied.GetProperty("auths").GetProperty("127.0.0.1:5000").GetProperty("auth").GetString());
    }

    [Fact]
    public async Task Create_UseApiSocketWithOwnDockerConfig_MountsOnlyTheSocket()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "config.json"), """{"auths":{"r:5000":{"auth":"dXNlcjpwYXNz"}}}""");
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 201, """{"Id":"c0ffee","Warnings":[]}"""));

        var run = await CliRun.Async(daemon, ["create", "--use-api-socket", "-e", "DOCKER_CONFIG=/mine", "busybox"],
            environment: n => n == "DOCKER_CONFIG" ? _dir.FullName : null);

        Assert.True(run.ExitCode == 0, run.Err);
        var request = Assert.Single(daemon.Requests);
        Assert.Contains("/var/run/docker.sock", request.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("/run/secrets/docker", request.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--cpu-count", "2")]
    [InlineData("--cpu-percent", "50")]
    [InlineData("--io-maxbandwidth", "1m")]
    [InlineData("--io-maxiops", "300")]
    public async Task Run_WindowsOnlyFlagAgainstALinuxDaemon_IsRefusedBeforeCreating(string flag, string value)
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 200, "OK", "text/plain"));

        var run = await CliRun.Async(daemon, ["run", "--pull", "never", flag, value, "busybox"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"\"{flag}\" is only supported on a Docker daemon running on windows, but the Docker daemon is running on linux\n", run.Err);
        Assert.Equal(["/_ping"], daemon.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task Update_CpuRealtime_IsSentAsDockersFields()
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 200, """{"Warnings":[]}"""));

        var run = await CliRun.Async(daemon, ["update", "--cpu-rt-period", "1000000", "--cpu-rt-runtime", "5000", "c1"]);

        Assert.True(run.ExitCode == 0, run.Err);
        var body = JsonDocument.Parse(Assert.Single(daemon.Requests).Body).RootElement;
        Assert.Equal(1_000_000, body.GetProperty("CpuRealtimePeriod").GetInt64());
        Assert.Equal(5000, body.GetProperty("CpuRealtimeRuntime").GetInt64());
    }

    [Fact]
    public async Task NetworkConnect_DriverOptsGwPriorityAndLinkLocal_InTheEndpointConfig()
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 200));

        var run = await CliRun.Async(daemon, ["network", "connect", "--driver-opt", "com.example.a=1,b= 2 ", "--gw-priority", "-5",
            "--link-local-ip", "169.254.9.9", "net1", "c1"]);

        Assert.True(run.ExitCode == 0, run.Err);
        var endpoint = JsonDocument.Parse(Assert.Single(daemon.Requests).Body).RootElement.GetProperty("EndpointConfig");
        Assert.Equal("1", endpoint.GetProperty("DriverOpts").GetProperty("com.example.a").GetString());
        Assert.Equal("2", endpoint.GetProperty("DriverOpts").GetProperty("b").GetString());
        Assert.Equal(-5, endpoint.GetProperty("GwPriority").GetInt32());
        Assert.Equal("169.254.9.9", endpoint.GetProperty("IPAMConfig").GetProperty("LinkLocalIPs")[0].GetString());
    }

    [Fact]
    public async Task NetworkConnect_DriverOptWithoutValue_IsRefused()
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 200));

        var run = await CliRun.Async(daemon, ["network", "connect", "--driver-opt", "novalue", "net1", "c1"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("invalid key/value pair format in driver options", run.Err, StringComparison.Ordinal);
        Assert.Empty(daemon.Requests);
    }

    [Fact]
    public async Task BuilderPrune_KeepStorage_IsSentInBytes()
    {
        await using var daemon = new FakeDaemon((_, socket) => FakeDaemon.RespondAsync(socket, 200, """{"CachesDeleted":[],"SpaceReclaimed":0}"""));

        var run = await CliRun.Async(daemon, ["builder", "prune", "-f", "--keep-storage", "1g"]);

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Equal("/v1.50/build/prune?keep-storage=1073741824", Assert.Single(daemon.Requests).Target);
    }

    [Fact]
    public async Task Build_ResourceAndCacheFlags_BecomeTheLegacyBuildersQuery()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "Dockerfile"), "FROM busybox\n");
        var bodies = new List<byte[]>();
        await using var daemon = new FakeDaemon((request, socket) =>
        {
            lock (bodies)
            {
                bodies.Add(request.RawBody);
            }

            return FakeDaemon.RespondAsync(socket, 200, """{"aux":{"ID":"sha256:abcdef"}}""");
        });

        var run = await CliRun.Async(daemon, ["build", "-m", "64m", "--memory-swap", "-1", "-c", "512", "--cpu-period", "100000", "--cpu-quota", "50000",
            "--cpuset-cpus", "0", "--cpuset-mems", "0", "--shm-size", "1m", "--ulimit", "nofile=100:200", "--cgroup-parent", "/builds",
            "--security-opt", "seccomp=unconfined", "--cache-from", "a:1,b:2", "--isolation", "default", "--compress", _dir.FullName]);

        Assert.True(run.ExitCode == 0, run.Err);
        var query = Uri.UnescapeDataString(Assert.Single(daemon.Requests).Target);
        foreach (var part in new[]
        {
            "memory=67108864", "memswap=-1", "cpushares=512", "cpuperiod=100000", "cpuquota=50000", "cpusetcpus=0", "cpusetmems=0",
            "shmsize=1048576", "cgroupparent=/builds", "isolation=default", "securityopt=seccomp=unconfined", "cachefrom=[\"a:1\",\"b:2\"]",
        })
        {
            Assert.Contains("&" + part, query, StringComparison.Ordinal);
        }

        var ulimits = JsonDocument.Parse(query[(query.IndexOf("ulimits=", StringComparison.Ordinal) + 8)..].Split('&')[0]).RootElement[0];
        Assert.Equal(("nofile", 100L, 200L), (ulimits.GetProperty("Name").GetString(), ulimits.GetProperty("Soft").GetInt64(), ulimits.GetProperty("Hard").GetInt64()));
        // --compress: the context arrives gzipped and still holds the Dockerfile.
        var body = Assert.Single(bodies);
        Assert.Equal(new byte[] { 0x1f, 0x8b }, body[..2]);
        using var reader = new TarReader(new GZipStream(new MemoryStream(body), CompressionMode.Decompress));
        Assert.Equal("Dockerfile", reader.GetNextEntry()!.Name);
    }
}
