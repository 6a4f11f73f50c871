using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Wharf.EndToEnd.Tests;

/// <summary>A registry process on a free 127.0.0.1 port with a temporary root: wharf-registry, or Debian's
/// docker-registry (the Distribution registry 2.8) with a generated config.yml. Killed and removed on dispose.</summary>
internal sealed class RegistryServerProcess : IAsyncDisposable
{
    public const string DockerRegistryBinary = "/usr/bin/docker-registry";

    private readonly Process _process;

    private RegistryServerProcess(Process process, string root, int port)
    {
        _process = process;
        Root = root;
        Port = port;
    }

    public int Port { get; }
    public string Root { get; }
    public string Address => $"127.0.0.1:{Port}";
    public int Pid => _process.Id;

    public static Task<RegistryServerProcess> StartWharfAsync(string? htpasswdLine = null)
    {
        var root = NewRoot("wharf");
        var port = FreePort();
        var args = $"serve --listen 127.0.0.1:{port} --root '{root}/data'";
        if (htpasswdLine is not null)
        {
            File.WriteAllText(Path.Combine(root, "htpasswd"), htpasswdLine + "\n");
            args += $" --htpasswd '{root}/htpasswd'";
        }
        return StartAsync($"exec '{Path.Combine(TestBinaries.Dir, "wharf-registry")}' {args}", root, port);
    }

    public static Task<RegistryServerProcess> StartDistributionAsync(string? htpasswdLine = null)
    {
        var root = NewRoot("distribution");
        var port = FreePort();
        var auth = "";
        if (htpasswdLine is not null)
        {
            File.WriteAllText(Path.Combine(root, "htpasswd"), htpasswdLine + "\n");
            auth = $"auth:\n  htpasswd:\n    realm: interop\n    path: {root}/htpasswd\n";
        }
        File.WriteAllText(Path.Combine(root, "config.yml"),
            $"version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {root}/data\n  delete:\n    enabled: true\n" +
            $"http:\n  addr: 127.0.0.1:{port}\n{auth}");
        return StartAsync($"exec {DockerRegistryBinary} serve '{root}/config.yml'", root, port);
    }

    public string Log()
    {
        var path = Path.Combine(Root, "registry.log");
        return File.Exists(path) ? "\nregistry log:\n" + File.ReadAllText(path) : "";
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(Root, recursive: true);
    }

    private static async Task<RegistryServerProcess> StartAsync(string command, string root, int port)
    {
        var psi = new ProcessStartInfo("bash", ["-c", $"{command} >>'{root}/registry.log' 2>&1"]) { UseShellExecute = false };
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + command);
        var registry = new RegistryServerProcess(process, root, port);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/v2/");
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized) return registry;
            }
            catch (HttpRequestException)
            {
            }
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var log = registry.Log();
                await registry.DisposeAsync();
                throw new InvalidOperationException($"{command} did not start\n{log}");
            }
            await Task.Delay(100);
        }
    }

    private static string NewRoot(string kind)
    {
        var root = Path.Combine("/tmp", $"wharf-e2e-{kind}-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        return root;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
