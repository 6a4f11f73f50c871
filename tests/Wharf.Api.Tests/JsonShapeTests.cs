using System.Text.Json;
using Wharf.Api.Containers;
using Wharf.Api.Errors;
using Wharf.Api.Events;
using Wharf.Api.Streams;

namespace Wharf.Api.Tests;

public sealed class JsonShapeTests
{
    [Fact]
    public void ErrorResponse_Serializes_LowerCaseMessage()
    {
        var json = JsonSerializer.Serialize(new ErrorResponse { Message = "No such container: x" }, ApiJsonContext.Default.ErrorResponse);
        Assert.Equal("""{"message":"No such container: x"}""", json);
    }

    [Fact]
    public void EventMessage_Serializes_DockerKeyCasing()
    {
        var message = new EventMessage
        {
            Status = "start", LegacyId = "abc", From = "alpine", Type = "container", Action = "start",
            Actor = new EventActor { ID = "abc", Attributes = { ["name"] = "web" } }, Time = 5, TimeNano = 5_000_000_001,
        };
        var doc = JsonDocument.Parse(JsonSerializer.Serialize(message, ApiJsonContext.Default.EventMessage)).RootElement;
        Assert.Equal("start", doc.GetProperty("status").GetString());
        Assert.Equal("abc", doc.GetProperty("id").GetString());
        Assert.Equal("web", doc.GetProperty("Actor").GetProperty("Attributes").GetProperty("name").GetString());
        Assert.Equal("local", doc.GetProperty("scope").GetString());
        Assert.Equal(5_000_000_001, doc.GetProperty("timeNano").GetInt64());
    }

    [Fact]
    public void ContainerWaitResponse_NullError_WritesNull()
    {
        var json = JsonSerializer.Serialize(new ContainerWaitResponse { StatusCode = 3 }, ApiJsonContext.Default.ContainerWaitResponse);
        Assert.Equal("""{"StatusCode":3,"Error":null}""", json);
    }

    [Fact]
    public void ContainerCreateRequest_DockerCliBody_Deserializes()
    {
        const string body = """
            {"Hostname":"","AttachStdout":true,"Tty":false,"Env":["A=1"],"Cmd":["echo","hi"],"Image":"busybox",
             "ExposedPorts":{"80/tcp":{}},"Labels":{"k":"v"},
             "HostConfig":{"NetworkMode":"default","AutoRemove":true,"RestartPolicy":{"Name":"no","MaximumRetryCount":0},
               "PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]},"ConsoleSize":[24,80],"Memory":1048576},
             "NetworkingConfig":{"EndpointsConfig":{"default":{}}}}
            """;
        var request = JsonSerializer.Deserialize(body, ApiJsonContext.Default.ContainerCreateRequest)!;
        Assert.Equal("busybox", request.Image);
        Assert.Equal(["echo", "hi"], request.Cmd!);
        Assert.True(request.ExposedPorts!.ContainsKey("80/tcp"));
        Assert.True(request.HostConfig!.AutoRemove);
        Assert.Equal("8080", request.HostConfig.PortBindings!["80/tcp"]![0].HostPort);
        Assert.Equal(1048576, request.HostConfig.Memory);
        Assert.True(request.NetworkingConfig!.EndpointsConfig!.ContainsKey("default"));
    }

    [Fact]
    public void JsonMessage_ErrorDetail_RoundTrips_AndOmitsEmptyFields()
    {
        var json = JsonSerializer.Serialize(new JsonMessage { Error = "bad", ErrorDetail = new JsonError { Message = "bad" } }, ApiJsonContext.Default.JsonMessage);
        Assert.Equal("""{"errorDetail":{"message":"bad"},"error":"bad"}""", json);
    }

    [Fact]
    public async Task JsonLines_WriteThenRead_YieldsSameObjects()
    {
        using var buffer = new MemoryStream();
        await JsonLines.WriteAsync(buffer, new JsonMessage { Status = "a" }, ApiJsonContext.Default.JsonMessage);
        await JsonLines.WriteAsync(buffer, new JsonMessage { Stream = "b\n" }, ApiJsonContext.Default.JsonMessage);
        buffer.Position = 0;
        var read = new List<JsonMessage>();
        await foreach (var m in JsonLines.ReadAsync(buffer, ApiJsonContext.Default.JsonMessage))
        {
            read.Add(m);
        }

        Assert.Equal(2, read.Count);
        Assert.Equal("a", read[0].Status);
        Assert.Equal("b\n", read[1].Stream);
    }
}
