using System.Text;
using System.Text.Json.Serialization.Metadata;
using Wharf.Api;
using Wharf.Api.Networks;
using Wharf.Api.Resources;
using Wharf.Api.Volumes;
using Wharf.Daemon.Http;
using Wharf.Daemon.Mapping;
using Wharf.TestKit.Fuzzing;

namespace Wharf.Daemon.Tests;

/// <summary>Mutated request bodies (fixed seed, see <see cref="FuzzSettings"/>) through the daemon's JSON binding of
/// every body it reads (RequestJson over the source-generated contexts), and a create body on through the container
/// mapper and validator: a value or an exception the error middleware answers with a 4xx, never one it turns into a
/// 500, never a hang.</summary>
public sealed class ApiJsonBindingFuzzTests
{
    private static readonly string[] Tokens =
    [
        "null", "true", "false", "[]", "{}", "\"\"", "[null]", "{\"\":null}", ",", ":", "\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\uZZZZ\"",
        "\"Env\":", "\"Cmd\":", "\"HostConfig\":", "\"Memory\":", "\"PortBindings\":", "\"ExposedPorts\":", "\"Healthcheck\":",
        "\"NetworkingConfig\":", "\"EndpointsConfig\":", "\"Labels\":", "\"IPAM\":", "\"Config\":", "\"Ulimits\":", "\"Mounts\":",
        "\"StopTimeout\":", "\"Tty\":", "\"1\"", "\"-1\"", "\"1e3\"", "\"0x10\"", "\"80/tcp\":", "\"65536/tcp\":{}", "\"DriverOpts\":",
    ];

    private static readonly (string Body, Action<Stream> Bind)[] Targets =
    [
        ("""{"Image":"busybox","Cmd":["sh","-c","echo hi"],"Env":["A=1"],"Labels":{"a":"b"},"ExposedPorts":{"80/tcp":{}},"StopTimeout":5,"Healthcheck":{"Test":["CMD","true"],"Interval":1000000000,"Retries":3},"Tty":true,"HostConfig":{"Memory":1048576,"CpuShares":512,"Binds":["/a:/b:ro"],"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]},"RestartPolicy":{"Name":"on-failure","MaximumRetryCount":2},"Ulimits":[{"Name":"nofile","Soft":10,"Hard":20}],"Mounts":[{"Type":"volume","Source":"v","Target":"/v"}],"LogConfig":{"Type":"json-file","Config":{"max-size":"1m"}}},"NetworkingConfig":{"EndpointsConfig":{"n":{"Aliases":["x"],"IPAMConfig":{"IPv4Address":"10.0.0.5"}}}}}""",
            body => Bind(body, ApiJsonContext.Default.ContainerCreateRequest, create => { ContainerMapper.ToCreateParams(create, "fuzz"); })),
        ("""{"Cmd":["ls"],"Env":["A=1"],"AttachStdout":true,"Tty":false,"User":"1:2","WorkingDir":"/","Privileged":false,"ConsoleSize":[24,80]}""",
            body => Bind(body, ApiJsonContext.Default.ExecConfig)),
        ("""{"Detach":false,"Tty":true,"ConsoleSize":[24,80]}""", body => Bind(body, ApiJsonContext.Default.ExecStartConfig)),
        ("""{"Name":"n","Driver":"bridge","Internal":false,"Attachable":true,"EnableIPv6":false,"Labels":{"a":"b"},"Options":{"com.docker.network.bridge.name":"br"},"IPAM":{"Driver":"default","Config":[{"Subnet":"10.9.0.0/24","Gateway":"10.9.0.1","IPRange":"10.9.0.0/25","AuxiliaryAddresses":{"h":"10.9.0.9"}}]}}""",
            body => Bind(body, NetworkApiJsonContext.Default.NetworkCreateRequest)),
        ("""{"Container":"c","EndpointConfig":{"Aliases":["a"],"IPAMConfig":{"IPv4Address":"10.9.0.5"},"Links":["x:y"],"DriverOpts":{"a":"b"}}}""",
            body => Bind(body, NetworkApiJsonContext.Default.NetworkConnectRequest)),
        ("""{"Container":"c","Force":true}""", body => Bind(body, NetworkApiJsonContext.Default.NetworkDisconnectRequest)),
        ("""{"Memory":1048576,"MemorySwap":-1,"CpuShares":512,"CpuQuota":50000,"RestartPolicy":{"Name":"always"},"PidsLimit":10,"BlkioWeight":100}""",
            body => Bind(body, ResourcesJsonContext.Default.ContainerUpdateRequest)),
        ("""{"Name":"v","Driver":"local","DriverOpts":{"type":"tmpfs","device":"tmpfs","o":"size=1m"},"Labels":{"a":"b"}}""",
            body => Bind(body, StorageJsonContext.Default.VolumeCreateRequest)),
    ];

    [Fact]
    public void Bind_MutatedBodies_ValueOrClientError()
    {
        foreach (var (body, bind) in Targets) bind(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        var seed = FuzzSettings.Seed(2375);
        var mutator = new FuzzMutator(seed, Tokens);
        var corpus = Targets.Select(t => Encoding.UTF8.GetBytes(t.Body)).ToList();
        var rounds = FuzzSettings.Rounds(4000);
        for (var round = 0; round < rounds; round++)
        {
            var target = mutator.Random.Next(Targets.Length);
            var body = mutator.Mutate(corpus[target], corpus);
            var where = $"seed {seed} round {round} ({target})";
            FuzzSettings.WithinTimeBound(() =>
            {
                try
                {
                    Targets[target].Bind(new MemoryStream(body));
                }
                catch (Exception e)
                {
                    var (status, _) = ErrorMiddleware.Classify(e);
                    Assert.True(status is >= 400 and < 500,
                        $"{where}: {e.GetType().Name} answered {status}: {e.Message}\n--- body\n{Encoding.UTF8.GetString(body)}\n{e.StackTrace}");
                }
            }, () => $"{where}: {Encoding.UTF8.GetString(body)}");
        }
    }

    /// <summary>Found by the fuzzer: invalid UTF-8 in a member name or a string value was an InvalidOperationException
    /// from the JSON reader, a 500. Go's decoder reads it as U+FFFD, and so does the daemon now.</summary>
    [Fact]
    public async Task Bind_InvalidUtf8InNameAndValue_ReadAsReplacementCharacterAsGoDoes()
    {
        byte[] body = [.. "{\"Image\":\"busy"u8, 0xFF, .. "box\",\"Labels\":{\"k"u8, 0xC3, 0x28, .. "\":\"v\"},\"X"u8, 0xED, 0xA0, 0x80, .. "\":1}"u8];

        var request = (await RequestJson.ReadAsync(new MemoryStream(body), ApiJsonContext.Default.ContainerCreateRequest, CancellationToken.None))!;

        Assert.Equal("busy\uFFFDbox", request.Image);
        Assert.Equal("v", Assert.Single(request.Labels!, l => l.Key.StartsWith('k')).Value);
    }

    private static void Bind<T>(Stream body, JsonTypeInfo<T> type, Action<T>? then = null)
    {
        var value = RequestJson.ReadAsync(body, type, CancellationToken.None).GetAwaiter().GetResult();
        if (value is not null) then?.Invoke(value);
    }
}
