using Wharf.Api.Client;

namespace Wharf.Api.Tests;

public sealed class DockerEndpointTests
{
    [Theory]
    [InlineData("unix:///run/wharf/wharf.sock", "/run/wharf/wharf.sock")]
    [InlineData("unix:///tmp/x.sock", "/tmp/x.sock")]
    [InlineData("unix://", DockerEndpoint.DefaultSocketPath)]
    [InlineData("/var/run/docker.sock", "/var/run/docker.sock")]
    public void Parse_UnixAddress_GivesSocketPath(string address, string expectedPath)
    {
        var endpoint = DockerEndpoint.Parse(address);
        Assert.Equal(EndpointKind.Unix, endpoint.Kind);
        Assert.Equal(expectedPath, endpoint.SocketPath);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:2375", "127.0.0.1", 2375)]
    [InlineData("tcp://10.1.2.3", "10.1.2.3", 2375)]
    [InlineData("tcp://[::1]:4243", "::1", 4243)]
    [InlineData("localhost:9999", "localhost", 9999)]
    [InlineData("tcp://", "127.0.0.1", 2375)]
    public void Parse_TcpAddress_GivesHostAndPort(string address, string host, int port)
    {
        var endpoint = DockerEndpoint.Parse(address);
        Assert.Equal(EndpointKind.Tcp, endpoint.Kind);
        Assert.Equal(host, endpoint.Host);
        Assert.Equal(port, endpoint.Port);
    }

    [Theory]
    [InlineData("ssh://user@host")]
    [InlineData("tcp://host:notaport")]
    [InlineData("tcp://host:70000")]
    public void Parse_Invalid_ThrowsFormatException(string address)
    {
        Assert.Throws<FormatException>(() => DockerEndpoint.Parse(address));
        Assert.False(DockerEndpoint.TryParse(address, out _));
    }

    [Fact]
    public void ToString_RoundTripsThroughParse()
    {
        foreach (var text in new[] { "unix:///a/b.sock", "tcp://127.0.0.1:2375", "tcp://[::1]:1" })
        {
            Assert.Equal(text, DockerEndpoint.Parse(text).ToString());
        }
    }
}
