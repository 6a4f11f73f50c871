using System.Text;
using Wharf.Api;
using Wharf.Api.Streams;
using Wharf.Daemon.Http;

namespace Wharf.Daemon.Tests;

public sealed class RequestJsonTests
{
    [Fact]
    public void Parse_NullMembers_AreAsIfAbsentAtAnyDepth()
    {
        // docker-py's healthcheck sends "StartPeriod": null; others send "Env": null, "Labels": null.
        const string body = """
            {"Image":"busybox","Env":null,"Cmd":["true",null],"Labels":null,
             "Healthcheck":{"Test":["CMD","true"],"Interval":null,"Timeout":1000000000,"Retries":null,"StartPeriod":null},
             "HostConfig":{"Memory":null,"Binds":null,"RestartPolicy":{"Name":"no","MaximumRetryCount":null}}}
            """;
        var request = RequestJson.Parse(body, ApiJsonContext.Default.ContainerCreateRequest)!;
        Assert.Equal("busybox", request.Image);
        Assert.Null(request.Env);
        Assert.Equal(["true", ""], request.Cmd); // a null inside an array is Go's zero value
        Assert.Equal(1000000000, request.Healthcheck!.Timeout);
        Assert.Equal(0, request.Healthcheck.StartPeriod);
        Assert.Equal("no", request.HostConfig!.RestartPolicy!.Name);
    }

    [Fact]
    public void Parse_NullElementsAndMapValues_BecomeGoZeroValues()
    {
        // Go decodes null into a []string element or a map[string]string value as "", into a struct as its zero value.
        const string body = """
            {"Image":"busybox","Env":[null,"A=1"],"Entrypoint":[null],"Labels":{"a":null},"ExposedPorts":{"80/tcp":null},
             "HostConfig":{"Binds":[null],"Dns":[null],"CapAdd":[null],"Tmpfs":{"/t":null},"Ulimits":[null]}}
            """;
        var request = RequestJson.Parse(body, ApiJsonContext.Default.ContainerCreateRequest)!;
        Assert.Equal(["", "A=1"], request.Env);
        Assert.Equal([""], request.Entrypoint);
        Assert.Equal("", request.Labels!["a"]);
        Assert.True(request.ExposedPorts!.ContainsKey("80/tcp"));
        Assert.Equal([""], request.HostConfig!.Binds);
        Assert.Equal([""], request.HostConfig.Dns);
        Assert.Equal([""], request.HostConfig.CapAdd);
        Assert.Equal("", request.HostConfig.Tmpfs!["/t"]);
        Assert.NotNull(Assert.Single(request.HostConfig.Ulimits!));
    }

    [Fact]
    public void Parse_NullsInOtherRequestBodies_NeverReachTheEndpoint()
    {
        var exec = RequestJson.Parse("""{"Cmd":[null],"Env":[null]}""", ApiJsonContext.Default.ExecConfig)!;
        Assert.Equal([""], exec.Cmd);
        Assert.Equal([""], exec.Env);
        var network = RequestJson.Parse("""{"Name":"n","Options":{"o":null},"IPAM":{"Config":[null]}}""", Wharf.Api.Networks.NetworkApiJsonContext.Default.NetworkCreateRequest)!;
        Assert.Equal("", network.Options!["o"]);
        Assert.NotNull(Assert.Single(network.IPAM!.Config!));
    }

    [Fact]
    public async Task ReadAsync_MemberSentTwice_KeepsTheLastValueAsGoDoes()
    {
        using var body = new MemoryStream("""{"Image":"a","Image":"busybox","HostConfig":{"Dns":["1.1.1.1"],"Dns":null,"Dns":["9.9.9.9"]}}"""u8.ToArray());
        var request = (await RequestJson.ReadAsync(body, ApiJsonContext.Default.ContainerCreateRequest, CancellationToken.None))!;
        Assert.Equal("busybox", request.Image);
        Assert.Equal(["9.9.9.9"], request.HostConfig!.Dns);
    }

    [Fact]
    public async Task ReadAsync_NullBody_IsNull()
    {
        using var body = new MemoryStream("null"u8.ToArray());
        Assert.Null(await RequestJson.ReadAsync(body, ApiJsonContext.Default.ExecStartConfig, CancellationToken.None));
    }

    [Fact]
    public async Task StdoutFramingStream_WritesEachChunkAsOneStdoutFrame()
    {
        using var sink = new MemoryStream();
        var framing = new StdoutFramingStream(sink); // not disposed: that would close the sink
        await framing.WriteAsync("hello"u8.ToArray());
        await framing.WriteAsync(ReadOnlyMemory<byte>.Empty);
        await framing.FlushAsync();
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        sink.Position = 0;
        await StdCopy.DemultiplexAsync(sink, stdout, stderr);
        Assert.Equal("hello", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal(0, stderr.Length);
    }
}
