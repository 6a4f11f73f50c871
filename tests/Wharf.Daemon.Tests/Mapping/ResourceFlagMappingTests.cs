using Wharf.Api;
using Wharf.Core.Errors;
using Wharf.Daemon.Http;
using Wharf.Daemon.Mapping;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Store;

namespace Wharf.Daemon.Tests.Mapping;

/// <summary>The HostConfig and EndpointSettings fields behind docker's parity flags reach the engine's records and
/// come back in inspect, and what dockerd on Linux refuses is refused at create.</summary>
public sealed class ResourceFlagMappingTests
{
    private const string Id = "20611d4345b5aa0d6e1c0b9f0f4a3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b";

    private static ContainerCreateParams Create(string hostConfig) =>
        ContainerMapper.ToCreateParams(RequestJson.Parse("{\"Image\":\"busybox\",\"HostConfig\":{" + hostConfig + "}}", ApiJsonContext.Default.ContainerCreateRequest)!, "c");

    [Fact]
    public void CreateThenInspect_ResourceFields_RoundTrip()
    {
        var created = Create("""
            "Annotations":{"org.example.a":"1"},"CgroupParent":"/custom","CpuRealtimePeriod":1000000,"CpuRealtimeRuntime":950000,
            "BlkioWeightDevice":[{"Path":"/dev/sda","Weight":200}],"BlkioDeviceReadBps":[{"Path":"/dev/sda","Rate":1048576}],
            "BlkioDeviceWriteIOps":[{"Path":"/dev/sdb","Rate":20}],"CpuCount":2,"KernelMemory":67108864
            """);
        var host = created.Host;

        Assert.Equal("1", host.Annotations["org.example.a"]);
        Assert.Equal(("/custom", 1_000_000L, 950_000L), (host.CgroupParent, host.CpuRealtimePeriod, host.CpuRealtimeRuntime));
        Assert.Equal(("/dev/sda", (ushort)200), (host.BlkioWeightDevice[0].Path, host.BlkioWeightDevice[0].Weight));
        Assert.Equal(1 << 20, host.BlkioDeviceReadBps[0].Rate);
        Assert.Equal(("/dev/sdb", 20L), (host.BlkioDeviceWriteIOps[0].Path, host.BlkioDeviceWriteIOps[0].Rate));

        var record = new ContainerRecord { Id = Id, Name = "c", ImageId = "sha256:" + new string('b', 64), Path = "/bin/sh", Args = [], Host = host, Config = created.Config };
        var inspect = ContainerMapper.ToInspect(ContainerSnapshot.Of(record), new ContainerPaths("/var/lib/wharf", "/run/wharf", Id)).HostConfig!;

        Assert.Equal("1", inspect.Annotations!["org.example.a"]);
        Assert.Equal(("/custom", 1_000_000L, 950_000L), (inspect.CgroupParent, inspect.CpuRealtimePeriod, inspect.CpuRealtimeRuntime));
        Assert.Equal(200, inspect.BlkioWeightDevice![0].Weight);
        Assert.Equal(1 << 20, inspect.BlkioDeviceReadBps![0].Rate);
        Assert.Empty(inspect.BlkioDeviceWriteBps!);
        Assert.Equal(20, inspect.BlkioDeviceWriteIOps![0].Rate);
    }

    [Theory]
    [InlineData("\"StorageOpt\":{\"size\":\"10G\"}", "--storage-opt is supported only for overlay over xfs with 'pquota' mount option")]
    [InlineData("\"IOMaximumBandwidth\":1048576", "Invalid QoS settings: linux does not support Maximum IO Bandwidth or Maximum IO IOps")]
    [InlineData("\"IOMaximumIOps\":300", "Invalid QoS settings: linux does not support Maximum IO Bandwidth or Maximum IO IOps")]
    [InlineData("\"Isolation\":\"hyperv\"", "Invalid isolation: \"hyperv\" - linux only supports 'default'")]
    public void Create_WhatDockerdOnLinuxRefuses_IsInvalidArgument(string hostConfig, string message)
    {
        var error = Assert.Throws<EngineException>(() => Create(hostConfig));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void EndpointRequest_GwPriority_IsKeptAndShownInInspect()
    {
        var request = NetworkMapper.ToEndpointRequest(new Api.Containers.EndpointSettings { GwPriority = -5 });

        var shown = NetworkMapper.ToEndpointSettings(network: null, endpoint: null, request, servesDns: false);

        Assert.Equal(-5, request.GwPriority);
        Assert.Equal(-5, shown.GwPriority);
    }
}
