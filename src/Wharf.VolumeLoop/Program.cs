using Wharf.VolumeLoop;

// wharf-volume-loop: a Docker volume plugin (JSON over HTTP on a unix socket) whose volumes are size-limited ext4
// images mounted through loop devices.
//   wharf-volume-loop [--socket /run/docker/plugins/wharf-loop.sock] [--root /var/lib/wharf-volume-loop] [--default-size 1G]
var socket = "/run/docker/plugins/wharf-loop.sock";
var root = "/var/lib/wharf-volume-loop";
var defaultSize = "1G";
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--socket": socket = args[i + 1]; break;
        case "--root": root = args[i + 1]; break;
        case "--default-size": defaultSize = args[i + 1]; break;
        default: await Console.Error.WriteLineAsync($"wharf-volume-loop: unknown option {args[i]}"); return 2;
    }
}

var driver = new LoopVolumeDriver(root, LoopVolumeDriver.ParseSize(defaultSize));
// Content root = our install dir and no config reload: by default the host watches the working directory
// recursively for appsettings changes, an inotify watch on every directory below it (a data root among them).
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    ContentRootPath = AppContext.BaseDirectory,
    Args = ["--hostBuilder:reloadConfigOnChange=false"],
});
builder.Logging.ClearProviders();
Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
File.Delete(socket);
builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socket));
var app = builder.Build();
PluginApi.Map(app, driver);
await app.RunAsync();
File.Delete(socket);
return 0;
