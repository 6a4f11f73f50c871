using Microsoft.AspNetCore.Server.Kestrel.Core;
using Wharf.Daemon.Composition;
using Wharf.Daemon.Configuration;
using Wharf.Daemon.Endpoints;
using Wharf.Daemon.Http;
using Wharf.Daemon.Logging;
using Wharf.Engine.Containers;
using Wharf.Engine.Images;
using Wharf.Engine.Networks;

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
        // One logger factory for the host, the engine services and the cluster membership (which starts outside DI).
        var loggerFactory = LoggerFactory.Create(logging =>
        {
            logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ "; o.UseUtcTimestamp = true; });
            logging.SetMinimumLevel(settings.Debug ? LogLevel.Debug : LogLevel.Information);
            logging.AddFilter("Microsoft.AspNetCore", settings.Debug ? LogLevel.Information : LogLevel.Warning);
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));

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
        var unixSockets = ApiListeners.Configure(builder.WebHost, settings, useTls);

        builder.Services
            .AddWharfHost(settings, DaemonEngineOptions.From(settings))
            .AddWharfImages(settings)
            .AddWharfVolumes(settings)
            .AddWharfNetworking(settings, cluster)
            .AddWharfContainers();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, Wharf.Api.ApiJsonContext.Default));

        var app = builder.Build();
        var containers = app.Services.GetRequiredService<ContainerService>();
        var networks = app.Services.GetRequiredService<NetworkService>();
        var images = app.Services.GetRequiredService<ImageService>();
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
        // Disposes the services in the reverse order of their making: containers' watchers, then networking.
        await app.RunAsync();
        if (cluster is not null) await cluster.DisposeAsync();
        loggerFactory.Dispose();
        foreach (var socket in unixSockets) File.Delete(socket);
        return 0;
    }
}
