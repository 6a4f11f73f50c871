using System.Diagnostics;
using System.Net.Sockets;

namespace Wharf.EndToEnd.Tests;

/// <summary>A real wharfd on a temporary socket, data root and exec root, with busybox:latest imported. Removes
/// every container, shim, mount and directory it made when disposed, even after failures.</summary>
public sealed class DaemonFixture : IAsyncLifetime
{
    private Process? _daemon;

    public string Root { get; } = Path.Combine("/tmp", "wharf-e2e-" + Guid.NewGuid().ToString("N")[..8]);
    public string DataRoot => Path.Combine(Root, "data");
    public string ExecRoot => Path.Combine(Root, "exec");
    public string Socket => Path.Combine(Root, "wharf.sock");
    public string LogFile => Path.Combine(Root, "wharfd.log");
    public string Host => "unix://" + Socket;
    public int DaemonPid => _daemon?.Id ?? 0;

    /// <summary>More wharfd flags (shell-quoted), e.g. a TLS listener; the unix socket above stays.</summary>
    public string ExtraDaemonArgs { get; init; } = "";

    /// <summary>Extra environment for wharfd itself (test hooks such as WHARF_DOCKER_HUB_ENDPOINT), per daemon so
    /// tests running in parallel do not see each other's.</summary>
    public IReadOnlyDictionary<string, string> DaemonEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>A network namespace (a /run/netns path) to run wharfd in, entered with nsenter (not `ip netns exec`,
    /// whose private /sys hides the cgroup tree from runc). Null: the host's.</summary>
    public string? NetworkNamespace { get; init; }

    public IReadOnlyDictionary<string, string> Env => new Dictionary<string, string>
    {
        ["DOCKER_HOST"] = Host,
        ["WHARF_HOST"] = Host,
        ["DOCKER_CONFIG"] = Path.Combine(Root, "docker-config"),
        ["DOCKER_CLI_HINTS"] = "false",
    };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        await StartDaemonAsync();
        var import = await CommandRunner.RunAsync("bash", ["-c", $"'{TestBinaries.BusyboxRootfsScript}' | '{TestBinaries.Docker}' import - busybox:latest"], Env);
        if (import.ExitCode != 0) throw new InvalidOperationException("importing busybox failed: " + import + "\n" + DaemonLog());
    }

    /// <summary>The daemon.json every test daemon gets unless its test wrote one first: air-gapped, so a short name
    /// (docker.io) fails at once instead of reaching the internet, while registries tests run on loopback work.</summary>
    public const string DefaultDaemonJson = """{"allowed-registries": ["127.0.0.1", "localhost", "[::1]"]}""";

    public string DaemonJsonPath => Path.Combine(Root, "daemon.json");

    public async Task StartDaemonAsync()
    {
        Directory.CreateDirectory(Root);
        if (!File.Exists(DaemonJsonPath)) await File.WriteAllTextAsync(DaemonJsonPath, DefaultDaemonJson);
        var args = $"--data-root '{DataRoot}' --exec-root '{ExecRoot}' -H '{Host}' --shim '{TestBinaries.Shim}' --pidfile '{Path.Combine(Root, "wharfd.pid")}' --config-file '{DaemonJsonPath}' {ExtraDaemonArgs}";
        var enter = NetworkNamespace is null ? "" : $"nsenter '--net={NetworkNamespace}' ";
        var psi = new ProcessStartInfo("bash", ["-c", $"exec {enter}'{TestBinaries.Wharfd}' {args} >>'{LogFile}' 2>&1"]) { UseShellExecute = false };
        foreach (var (name, value) in DaemonEnvironment) psi.Environment[name] = value;
        _daemon = Process.Start(psi) ?? throw new InvalidOperationException("could not start wharfd");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await PingAsync())
        {
            if (_daemon.HasExited) throw new InvalidOperationException($"wharfd exited with {_daemon.ExitCode}\n{DaemonLog()}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("wharfd did not answer /_ping\n" + DaemonLog());
            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL: no clean shutdown at all, as a crash would be.</summary>
    public async Task KillDaemonAsync()
    {
        if (_daemon is null) return;
        _daemon.Kill();
        await _daemon.WaitForExitAsync();
        _daemon.Dispose();
        _daemon = null;
    }

    public async Task StopDaemonAsync()
    {
        if (_daemon is null) return;
        Process.Start("kill", ["-TERM", _daemon.Id.ToString()])!.WaitForExit();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try { await _daemon.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { _daemon.Kill(); await _daemon.WaitForExitAsync(); }
        _daemon.Dispose();
        _daemon = null;
    }

    public Task<CommandResult> DockerAsync(params string[] args) => CommandRunner.RunAsync(TestBinaries.Docker, args, Env);
    public Task<CommandResult> DockerWithInputAsync(string stdin, params string[] args) => CommandRunner.RunAsync(TestBinaries.Docker, args, Env, stdin);
    public Task<CommandResult> WharfAsync(params string[] args) => CommandRunner.RunAsync(TestBinaries.Wharf, args, Env);

    /// <summary>A raw HTTP client on the daemon's socket, for requests no CLI would send.</summary>
    public HttpClient CreateHttpClient()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://wharf/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string DaemonLog() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no daemon log)";

    private async Task<bool> PingAsync()
    {
        if (!File.Exists(Socket)) return false;
        try
        {
            using var client = CreateHttpClient();
            using var response = await client.GetAsync("_ping");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_daemon is not null)
            {
                var ids = await DockerAsync("ps", "-aq", "--no-trunc");
                foreach (var id in ids.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    await DockerAsync("rm", "-f", id);
            }
        }
        finally
        {
            await StopDaemonAsync();
            TestCleanup.RemoveEverythingUnder(Root, ExecRoot);
        }
    }
}
