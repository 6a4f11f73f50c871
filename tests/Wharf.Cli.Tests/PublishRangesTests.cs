using Wharf.Cli.Commands.Containers;
using Wharf.Cli.Commands;
using Wharf.Cli.Parsing;

namespace Wharf.Cli.Tests;

public sealed class PublishRangesTests
{
    private static Api.Containers.ContainerCreateRequest Build(params string[] args) =>
        ContainerOptions.Build(ArgParser.Parse(args, ContainerOptions.RunSpecs, true), true, _ => null, _ => []);

    [Fact]
    public void Build_PairwiseRanges_PublishEveryPortAndExposeIt()
    {
        var request = Build("-p", "127.0.0.1:8000-8002:80-82/udp", "busybox");
        var bindings = request.HostConfig!.PortBindings!;
        Assert.Equal(["80/udp", "81/udp", "82/udp"], bindings.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("8001", Assert.Single(bindings["81/udp"]!).HostPort);
        Assert.Equal("127.0.0.1", bindings["82/udp"]![0].HostIp);
        Assert.Equal(["80/udp", "81/udp", "82/udp"], request.ExposedPorts!.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Theory]
    [InlineData("8000-8002:80", "80/tcp", "8000-8002")]
    [InlineData("90-91", "91/tcp", "")]
    [InlineData("::53/udp", "53/udp", "")]
    public void Expand_HostRangeForOnePort_OrContainerRangeAlone(string spec, string key, string hostPort)
    {
        var expanded = PublishRanges.Expand(spec).ToList();
        var (_, binding) = Assert.Single(expanded, e => e.ContainerPort == key);
        Assert.Equal(hostPort, binding.HostPort);
    }

    [Theory]
    [InlineData("8000-8001:80-82", "invalid ranges specified for container and host Ports: 80-82 and 8000-8001")]
    [InlineData("8000:80-82", "invalid ranges specified for container and host Ports: 80-82 and 8000")]
    [InlineData("9000-8000:80", "invalid hostPort: 9000-8000")]
    [InlineData("8000:82-80", "invalid containerPort: 82-80")]
    public void Expand_MismatchedOrBackwardRanges_RefusedWithDockersWords(string spec, string message)
    {
        var refused = Assert.Throws<CliUsageException>(() => PublishRanges.Expand(spec).ToList());
        Assert.Contains(message, refused.Message);
    }
}
