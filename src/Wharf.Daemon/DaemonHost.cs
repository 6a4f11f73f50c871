using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Wharf.Core.Host;
using Wharf.Daemon.Composition;
using Wharf.Daemon.Configuration;
using Wharf.Daemon.Endpoints;
using Wharf.Daemon.Http;
using Wharf.Daemon.Logging;
using Wharf.Engine;
using Wharf.Engine.Containers;
using Wharf.Engine.Events;
using Wharf.Engine.Images;
using Wharf.Engine.Snapshots;
using Wharf.Linux;

namespace Wharf.Daemon;

/// <summary>The composition root: settings, engine services, Kestrel on every -H address, endpoints.</summary>
internal static class DaemonHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        DaemonSettings settings;
        try
        {
            settings = DaemonSettingsLoader.Load(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or System.Text.Json.JsonException or IOException)
        {
            await Console.Error.WriteLineAsync($"wharfd: {e.Message}");
            return 1;
        }

        if (TcpListenerPolicy.Refusal(settings) is { } refusal)
        {
            await Console.Error.WriteLineAsync($"wharfd: {refusal}");
            return 1;
        }

        RootPermissions.Apply(settings);
        var pidFile = new PidFile(settings.EffectivePidFile);
        if (!pidFile.TryAcquire(out var otherPid))
        {
            await Console.Error.WriteLineAsync($"wharfd: another daemon (pid {otherPid}) is running with pid file {settings.EffectivePidFile}");
            return 1;
        }
        try
        {
            return await ServeAsync(settings);
        }
        finally
        {
            pidFile.Release();
        }
    }

    private static async Task<int> ServeAsync(DaemonSettings settings)
    {
        DaemonCluster? cluster;
        try
        {
            cluster = DaemonCluster.Open(settings);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"wharfd: {e.Message}");
            return 1;
        }

        // Content root = our install dir and no config reload: by default the host watches the working directory
        // recursively for appsettings changes, an inotify watch on every directory below it (a data root among them).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        // One logger factory for the host and for the engine services, which are built before the host exists.
        var loggerFactory = LoggerFactory.Create(logging =>
        {
            logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ "; o.UseUtcTimestamp = true; });
            logging.SetMinimumLevel(settings.Debug ? LogLevel.Debug : LogLevel.Information);
            logging.AddFilter("Microsoft.AspNetCore", settings.Debug ? LogLevel.Information : LogLevel.Warning);
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var unixSockets = new List<string>();
        ILogger? tlsLogger = null;
        Action<ListenOptions>? useTls = null;
        if (settings.Tls.IsOn && settings.Hosts.Any(h => !h.StartsWith("unix://", StringComparison.Ordinal) && !h.StartsWith('/')))
        {
            try
            {
                useTls = TlsListener.Configure(settings.Tls, () => tlsLogger!);
            }
            catch (FormatException e)
            {
                await Console.Error.WriteLineAsync($"wharfd: {e.Message}");
                return 1;
            }
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            RequestBodyLimits.Apply(kestrel); // endpoints that stream archives lift it for themselves
            // Attached stdin may stay idle for hours and a producer piping into `docker import -` may be slow:
            // neither is an attack on a local socket.
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(10);
            foreach (var host in settings.Hosts)
            {
                var address = ListenAddress.Parse(host);
                if (address.UnixPath is { } path)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.Delete(path);
                    kestrel.ListenUnixSocket(path, listen => listen.Use(HalfCloseTolerantConnection.Middleware));
                    unixSockets.Add(path);
                }
                else
                {
                    kestrel.Listen(address.Endpoint!, listen =>
                    {
                        listen.Use(HalfCloseTolerantConnection.Middleware);
                        useTls?.Invoke(listen);
                    });
                }
            }
        });

        var engineOptions = new EngineOptions
        {
            DataRoot = settings.DataRoot,
            ExecRoot = settings.ExecRoot,
            RuntimePath = settings.Runtime,
            ShimPath = settings.ShimPath ?? DefaultShimPath(),
            HostNofileHardLimit = ResourceLimits.NofileHardLimit(),
            SwapLimitSupported = ResourceLimits.SwapAccountingEnabled(),
            CpuRealtimeSupported = ResourceLimits.CpuRealtimeSupported(),
            Blkio = ResourceLimits.BlkioSupport(),
            HostHardLimits = Wharf.Linux.Host.HostRlimits.Read(),
            HostCapabilities = Engine.Containers.Spec.Capabilities.FromMask(Wharf.Linux.Host.CapabilityBoundingSet.ReadSelf()),
            HostDevices = new Wharf.Linux.Host.LinuxHostDevices(),
            DefaultLogDriver = settings.LogDriver,
            DefaultLogOptions = settings.LogOpts,
            InitByDefault = settings.Init,
            // Docker: a private cgroup namespace by default on a cgroup v2 (unified) host, the host's on v1 and hybrid.
            DefaultCgroupnsMode = settings.DefaultCgroupnsMode ?? (Wharf.Linux.Host.HostFactsReader.DetectCgroupVersion(Wharf.Linux.Mounts.MountInfo.ReadSelf()) == "2" ? "private" : "host"),
            InitPath = settings.InitPath ?? Engine.Containers.Spec.InitOption.DefaultHostPath(),
        };
        if (settings.CgroupParent is { Length: > 0 } cgroupParent)
            engineOptions = engineOptions with { CgroupParent = "/" + cgroupParent.Trim('/') };
        var time = TimeProvider.System;
        var events = new EventBus(time);
        var snapshots = new OverlaySnapshotter(settings.DataRoot, new Storage.LinuxFileSystemOps());
        var images = new ImageService(settings.DataRoot, snapshots, time, (action, id, attributes) => events.Publish("image", action, id, attributes));
        var mounts = new LinuxMountOps();
        var volumes = new Engine.Volumes.VolumeService(settings.DataRoot, mounts, time,
            new Engine.Volumes.Plugins.VolumePluginClient(new Engine.Volumes.Plugins.PluginDiscovery(), VolumePluginTimeout()),
            new Wharf.Linux.Mounts.LinuxLoopDevices(), new Storage.LinuxFileSystemOps());
        var swarm = new Engine.Swarm.SwarmMembership(settings.DataRoot);
        var networks = NetworkSetup.Create(settings, events, time, loggerFactory.CreateLogger("Wharf.Engine.Networks"), swarm, cluster);
        var inventory = HostInventory.Read(settings);

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(engineOptions);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(events);
        builder.Services.AddSingleton(images);
        builder.Services.AddSingleton(snapshots);
        builder.Services.AddSingleton<IMountOps>(mounts);
        builder.Services.AddSingleton<IFileSystemOps>(new Storage.LinuxFileSystemOps());
        builder.Services.AddSingleton<IRootConfinement>(new Wharf.Linux.Files.ThreadRootConfinement());
        builder.Services.AddSingleton<Wharf.Core.Shim.IShimClient>(new Engine.Runtime.SocketShimClient(new LinuxProcessSpawner(), engineOptions));
        builder.Services.AddSingleton<IRuntimeControl>(new RuncControl(engineOptions.RuntimePath, engineOptions.RuntimeRoot));
        builder.Services.AddSingleton<ICgroupReader>(new Wharf.Linux.Cgroups.CgroupReader());
        builder.Services.AddSingleton(volumes);
        builder.Services.AddSingleton(networks);
        builder.Services.AddSingleton(swarm);
        // A daemon with a cluster store has the multi-host overlay driver in place of the swarm's (as in Docker 20.10,
        // where the classic cluster store and swarm mode exclude each other).
        builder.Services.AddSingleton(services => new Engine.Swarm.SwarmService(swarm, networks, services.GetRequiredService<ContainerService>(), time,
            cluster is null ? null : "swarm mode is not available on a daemon with a cluster store (--cluster-store): its overlay networks already span hosts"));
        builder.Services.AddWharfContainers();
        builder.Services.AddSingleton(inventory);
        builder.Services.AddSingleton(new DaemonDetachKeys(settings.DetachKeys));
        builder.Services.AddSingleton(services => new ContainerQueries(images, services.GetRequiredService<ContainerService>(), time));
        builder.Services.AddSingleton(services => new ContainerCommitter(services.GetRequiredService<ContainerService>(), images, snapshots, time));
        builder.Services.AddSingleton(new Wharf.Engine.Distribution.ImageDistributionService(images, Configuration.DistributionSettings.Read(settings.ConfigFile), settings.DataRoot));
        builder.Services.AddSingleton(services => new Wharf.Engine.Builder.ImageBuilder(images, services.GetRequiredService<ContainerService>(), snapshots, new Wharf.Engine.Builder.BuildCache(settings.DataRoot), time));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, Wharf.Api.ApiJsonContext.Default));

        var app = builder.Build();
        var containers = app.Services.GetRequiredService<ContainerService>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("wharfd");
        tlsLogger = logger;
        app.UseMiddleware<ErrorMiddleware>();
        app.UseMiddleware<ApiVersionMiddleware>();
        app.UseWebSockets(); // GET /containers/{id}/attach/ws
        app.UseRouting();
        app.MapApi();

        networks.Initialize();
        NetworkSetup.LogFirewall(logger, networks);
        await containers.RestoreAsync(CancellationToken.None);
        cluster?.Start(logger, networks);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var socket in unixSockets) SocketPermissions.Restrict(socket);
            foreach (var host in settings.Hosts)
            {
                var isTcp = host.StartsWith("tcp://", StringComparison.Ordinal);
                if (isTcp && useTls is not null) DaemonLog.ListeningTls(logger, host, settings.Tls.VerifyClients ? " (client certificates required)" : " (no client verification)");
                else DaemonLog.Listening(logger, host);
                if (isTcp && useTls is null) DaemonLog.InsecureTcp(logger, host);
            }
            DaemonLog.Ready(logger, containers.List().Count, images.List().Count, settings.DataRoot);
        });
        app.Lifetime.ApplicationStopping.Register(() => DaemonLog.ShuttingDown(logger));
        await app.RunAsync();
        containers.Dispose();
        networks.Dispose();
        if (cluster is not null) await cluster.DisposeAsync();
        loggerFactory.Dispose();
        foreach (var socket in unixSockets) File.Delete(socket);
        return 0;
    }

    /// <summary>How long a volume plugin may take to answer (WHARF_VOLUME_PLUGIN_TIMEOUT seconds, default 30).</summary>
    private static TimeSpan VolumePluginTimeout() =>
        double.TryParse(Environment.GetEnvironmentVariable("WHARF_VOLUME_PLUGIN_TIMEOUT"), System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(30);

    /// <summary>wharf-shim installed beside wharfd, else on PATH.</summary>
    private static string DefaultShimPath()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "wharf-shim");
        return File.Exists(beside) ? beside : "wharf-shim";
    }
}
