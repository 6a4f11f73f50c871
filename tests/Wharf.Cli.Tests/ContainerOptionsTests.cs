using System.Text.Json;
using Wharf.Api;
using Wharf.Cli.Commands.Containers;
using Wharf.Cli.Commands;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Tests;

public sealed class ContainerOptionsTests
{
    private static readonly Dictionary<string, string> Env = new() { ["HOME_VAR"] = "/root" };

    private static Api.Containers.ContainerCreateRequest Build(params string[] args) =>
        ContainerOptions.Build(ArgParser.Parse(args, ContainerOptions.RunSpecs, true), ArgParser.Parse(args, ContainerOptions.RunSpecs, true).Flag("detach"),
            k => Env.GetValueOrDefault(k), _ => ["# comment", "FROM_FILE=1", "HOME_VAR"]);

    [Fact]
    public void Build_Foreground_AttachesStdoutStderrOnly()
    {
        var request = Build("busybox", "echo", "hi");
        Assert.Equal("busybox", request.Image);
        Assert.Equal(["echo", "hi"], request.Cmd!);
        Assert.True(request.AttachStdout);
        Assert.True(request.AttachStderr);
        Assert.False(request.AttachStdin);
        Assert.False(request.OpenStdin);
        Assert.Equal("default", request.HostConfig!.NetworkMode);
        Assert.Equal("no", request.HostConfig.RestartPolicy!.Name);
        Assert.True(request.NetworkingConfig!.EndpointsConfig!.ContainsKey("default"));
    }

    [Fact]
    public void Build_InteractiveRm_SetsStdinOnceAndAutoRemove()
    {
        var request = Build("-i", "--rm", "busybox");
        Assert.True(request.AttachStdin);
        Assert.True(request.OpenStdin);
        Assert.True(request.StdinOnce);
        Assert.True(request.HostConfig!.AutoRemove);
        Assert.Null(request.Cmd);
    }

    [Fact]
    public void Build_Detached_AttachesNothing()
    {
        var request = Build("-d", "busybox", "sleep", "9");
        Assert.False(request.AttachStdout || request.AttachStderr || request.AttachStdin);
    }

    [Fact]
    public void Build_EnvSources_MergeInDockerOrder()
    {
        var request = Build("--env-file", "f", "-e", "A=1", "-e", "HOME_VAR", "-e", "UNSET_VAR", "busybox");
        Assert.Equal(["FROM_FILE=1", "HOME_VAR=/root", "A=1", "HOME_VAR=/root"], request.Env!);
    }

    [Fact]
    public void Build_CommonFlags_LandInRightFields()
    {
        var request = Build("-w", "/tmp", "-u", "1000:1000", "--entrypoint", "/bin/sh", "-h", "box", "-l", "a=b", "-l", "flag",
            "--read-only", "-v", "/data", "-v", "/host:/ctr:ro", "-p", "127.0.0.1:8080:80", "-p", "53:53/udp", "-m", "64m", "--cpus", "1.5",
            "--restart", "on-failure:3", "--tmpfs", "/run:size=1m", "busybox");
        Assert.Equal("/tmp", request.WorkingDir);
        Assert.Equal("1000:1000", request.User);
        Assert.Equal(["/bin/sh"], request.Entrypoint!);
        Assert.Equal("box", request.Hostname);
        Assert.Equal("b", request.Labels!["a"]);
        Assert.Equal("", request.Labels["flag"]);
        Assert.True(request.HostConfig!.ReadonlyRootfs);
        Assert.True(request.Volumes!.ContainsKey("/data"));
        Assert.Equal(["/host:/ctr:ro"], request.HostConfig.Binds!);
        Assert.Equal("127.0.0.1", request.HostConfig.PortBindings!["80/tcp"]![0].HostIp);
        Assert.Equal("8080", request.HostConfig.PortBindings["80/tcp"]![0].HostPort);
        Assert.True(request.ExposedPorts!.ContainsKey("53/udp"));
        Assert.Equal(64L * 1024 * 1024, request.HostConfig.Memory);
        Assert.Equal(1_500_000_000, request.HostConfig.NanoCpus);
        Assert.Equal(3, request.HostConfig.RestartPolicy!.MaximumRetryCount);
        Assert.Equal("size=1m", request.HostConfig.Tmpfs!["/run"]);
    }

    [Fact]
    public void Build_Serialized_HasDockerShape()
    {
        var json = JsonSerializer.Serialize(Build("--name", "x", "busybox", "true"), ApiJsonContext.Default.ContainerCreateRequest);
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal("busybox", root.GetProperty("Image").GetString());
        Assert.True(root.GetProperty("AttachStdout").GetBoolean());
        Assert.Equal(JsonValueKind.Object, root.GetProperty("HostConfig").ValueKind);
        Assert.False(root.TryGetProperty("Healthcheck", out _));
    }

    [Fact]
    public void Build_NoImage_Throws()
    {
        Assert.Throws<CliUsageException>(() => Build("--rm"));
    }

    [Theory]
    [InlineData("80", "80/tcp", "", "")]
    [InlineData("8080:80", "80/tcp", "", "8080")]
    [InlineData("0.0.0.0:8080:80/udp", "80/udp", "0.0.0.0", "8080")]
    [InlineData("127.0.0.1::80", "80/tcp", "127.0.0.1", "")]
    [InlineData("[::1]:9000:90", "90/tcp", "::1", "9000")]
    public void ParsePublish_Forms_Parse(string spec, string port, string hostIp, string hostPort)
    {
        var (containerPort, binding) = ContainerOptions.ParsePublish(spec);
        Assert.Equal(port, containerPort);
        Assert.Equal(hostIp, binding.HostIp);
        Assert.Equal(hostPort, binding.HostPort);
    }
}
