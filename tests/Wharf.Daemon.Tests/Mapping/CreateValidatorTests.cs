using Wharf.Api;
using Wharf.Core.Errors;
using Wharf.Daemon.Http;
using Wharf.Daemon.Mapping;

namespace Wharf.Daemon.Tests.Mapping;

/// <summary>containers/create refuses, before anything is stored, what no list could read back or no start could use.</summary>
public sealed class CreateValidatorTests
{
    private static Engine.Containers.ContainerCreateParams Create(string fields) =>
        ContainerMapper.ToCreateParams(RequestJson.Parse($$"""{"Image":"busybox","Cmd":["true"]{{(fields.Length > 0 ? "," : "")}}{{fields}}}""", ApiJsonContext.Default.ContainerCreateRequest)!, "c");

    [Theory]
    [InlineData("\"ExposedPorts\":{\"-1/tcp\":{}}", "invalid port specification: \"-1/tcp\"")]
    [InlineData("\"ExposedPorts\":{\"99999/tcp\":{}}", "invalid port specification: \"99999/tcp\"")]
    [InlineData("\"ExposedPorts\":{\"0/tcp\":{}}", "invalid port specification: \"0/tcp\"")]
    [InlineData("\"ExposedPorts\":{\"80/bogus\":{}}", "unknown protocol \"bogus\"")]
    [InlineData("\"HostConfig\":{\"PortBindings\":{\"abc\":[{\"HostPort\":\"8080\"}]}}", "invalid port specification: \"abc\"")]
    [InlineData("\"HostConfig\":{\"PortBindings\":{\"80-70/tcp\":[]}}", "invalid port specification: \"80-70/tcp\"")]
    [InlineData("\"HostConfig\":{\"PortBindings\":{\"0/tcp\":[]}}", "invalid port specification: \"0/tcp\"")]
    [InlineData("\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"99999\"}]}}", "invalid hostPort: 99999")]
    [InlineData("\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"90-80\"}]}}", "invalid hostPort: 90-80")]
    [InlineData("\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"not-an-ip\",\"HostPort\":\"1\"}]}}", "invalid IP address: not-an-ip")]
    [InlineData("\"StopSignal\":\"SIGBOGUS\"", "invalid signal: SIGBOGUS")]
    [InlineData("\"HostConfig\":{\"Runtime\":\"bogus\"}", "Unknown runtime specified bogus")]
    [InlineData("\"Env\":[null]", "invalid environment variable")]
    [InlineData("\"Env\":[\"=x\"]", "invalid environment variable: =x")]
    public void ToCreateParams_ValueNoListCouldReadBack_IsInvalidArgument(string fields, string message)
    {
        var error = Assert.Throws<EngineException>(() => Create(fields));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"ExposedPorts\":{\"80\":{},\"53/udp\":{},\"9/sctp\":{}}")]
    [InlineData("\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"\"},{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8000-8010\"}]}}")]
    [InlineData("\"StopSignal\":\"SIGUSR1\"")]
    [InlineData("\"StopSignal\":\"9\"")]
    [InlineData("\"HostConfig\":{\"Runtime\":\"runc\"}")]
    [InlineData("\"Env\":[\"A=1\",\"B\"]")]
    public void ToCreateParams_ValidValues_AreAccepted(string fields) => Assert.Equal("c", Create(fields).Name);
}
