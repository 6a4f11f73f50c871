using System.Diagnostics;

namespace Wharf.TestKit;

/// <summary>A throw-away etcd (Debian's etcd-server 3.4, installed by scripts/install-deps.sh) on 127.0.0.1 with
/// kernel-picked ports and a temp data dir; disposing kills it and removes the dir. <see cref="StopAsync"/> and
/// <see cref="StartAsync"/> restart it on the same ports and data, for reconnect tests.</summary>
public sealed class EtcdServerProcess : IAsyncDisposable
{
    public const string Binary = "/usr/bin/etcd";

    private readonly TempDirectory _dir = new("wharf-etcd");
    private readonly int _peerPort = LoopbackPorts.FreeTcp();
    private Process? _process;

    private EtcdServerProcess() => ClientPort = LoopbackPorts.FreeTcp();

    public int ClientPort { get; }

    /// <summary>The `--cluster-store` URL of this server.</summary>
    public string Url => $"etcd://127.0.0.1:{ClientPort}";

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<EtcdServerProcess> StartNewAsync()
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: run scripts/install-deps.sh (package etcd-server)");
        }

        var server = new EtcdServerProcess();
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--name", "wharf-test", "--data-dir", _dir.Combine("data"),
                     "--listen-client-urls", $"http://127.0.0.1:{ClientPort}",
                     "--advertise-client-urls", $"http://127.0.0.1:{ClientPort}",
                     "--listen-peer-urls", $"http://127.0.0.1:{_peerPort}",
                     "--initial-advertise-peer-urls", $"http://127.0.0.1:{_peerPort}",
                     "--initial-cluster", $"wharf-test=http://127.0.0.1:{_peerPort}",
                     "--log-level", "error", "--logger", "zap",
                 })
        {
            info.ArgumentList.Add(argument);
        }

        var log = _dir.Combine("etcd.log");
        _process = Process.Start(info) ?? throw new InvalidOperationException("etcd did not start");
        _process.OutputDataReceived += (_, e) => Append(log, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await HealthyAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"etcd did not become healthy on :{ClientPort}; log:\n{ReadLog(log)}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Kills etcd (SIGKILL, as a crash), keeping its data for a later <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _dir.Dispose();
    }

    private async Task<bool> HealthyAsync()
    {
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
            var body = await client.GetStringAsync(new Uri($"http://127.0.0.1:{ClientPort}/health"));
            return body.Contains("\"health\":\"true\"", StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private static readonly Lock LogGate = new();

    private static void Append(string path, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (LogGate)
        {
            try
            {
                File.AppendAllText(path, line + "\n");
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    private static string ReadLog(string path) => File.Exists(path) ? File.ReadAllText(path) : "(no log)";
}
