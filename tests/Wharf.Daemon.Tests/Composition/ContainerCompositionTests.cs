using System.Formats.Tar;
using Microsoft.Extensions.DependencyInjection;
using Wharf.Core.Host;
using Wharf.Core.Shim;
using Wharf.Daemon.Composition;
using Wharf.Engine;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Health;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Events;
using Wharf.Engine.Images;
using Wharf.Engine.Snapshots;
using Wharf.Engine.Volumes;
using Wharf.TestKit;

namespace Wharf.Daemon.Tests.Composition;

/// <summary>The daemon composes the container services by constructor injection: a missing registration or a cycle
/// would only show when wharfd starts, so the composition is resolved here over host fakes.</summary>
public sealed class ContainerCompositionTests
{
    [Fact]
    public async Task AddWharfContainers_OverTheHostSeams_ResolvesOneServiceGraphThatCreatesAndStartsContainers()
    {
        using var root = new TempDirectory("wharf-compose");
        var options = new EngineOptions { DataRoot = root.Combine("data"), ExecRoot = root.Combine("exec"), HostResolvConf = root.Combine("resolv.conf") };
        File.WriteAllText(options.HostResolvConf, "nameserver 10.0.0.2\n");
        var time = TimeProvider.System;
        var snapshots = new OverlaySnapshotter(options.DataRoot);
        var images = new ImageService(options.DataRoot, snapshots, time);
        var mounts = new RecordingMountOps();
        var shims = new FakeShimClient(time);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(options);
        services.AddSingleton(time);
        services.AddSingleton(new EventBus(time));
        services.AddSingleton(images);
        services.AddSingleton(snapshots);
        services.AddSingleton<IMountOps>(mounts);
        services.AddSingleton<IFileSystemOps>(new ManagedFileSystemOps());
        services.AddSingleton<IRootConfinement>(new RecordingRootConfinement());
        services.AddSingleton<IShimClient>(shims);
        services.AddSingleton(new VolumeService(options.DataRoot, mounts, time));
        services.AddWharfContainers();

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var containers = provider.GetRequiredService<ContainerService>();
        Assert.IsType<ExecProbeRunner>(provider.GetRequiredService<IContainerProbeRunner>());
        Assert.Null(containers.Networks); // no NetworkService registered: loopback-only containers, as in unit tests

        await images.ImportAsync(new MemoryStream(MinimalRootfsTar()), "busybox:latest", [], null, CancellationToken.None);
        var created = containers.Create(new ContainerCreateParams("composed", new ContainerConfig { Image = "busybox", Cmd = ["true"] }, new HostSettings()));
        await containers.StartAsync("composed", CancellationToken.None);

        // One store behind every service: the record the lifecycle started is the one the store hands out.
        Assert.True(provider.GetRequiredService<ContainerStore>().Get(created.Id).State.Running);
        Assert.Equal((1, 0, 0), containers.CountByState());
    }

    private static byte[] MinimalRootfsTar()
    {
        var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            var executable = (UnixFileMode)0b111_101_101;
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = executable });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bin/sh") { Mode = executable, DataStream = new MemoryStream("#!fake"u8.ToArray()) });
        }
        return buffer.ToArray();
    }
}
