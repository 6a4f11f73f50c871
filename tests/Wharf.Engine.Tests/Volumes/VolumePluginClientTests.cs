using System.Net.Sockets;
using System.Text;
using Wharf.Core.Errors;
using Wharf.Engine.Volumes.Plugins;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Engine.Tests.Volumes;

/// <summary>The plugin client against tiny raw-socket HTTP servers: a good plugin, a hanging one, a garbage one.</summary>
public sealed class VolumePluginClientTests : IDisposable
{
    private readonly TempDirectory _temp = new("wharf-plugins");
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _requests = [];
    private int _connections;

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _temp.Dispose();
    }

    /// <summary>Serves one answer per request; <paramref name="answer"/> null means never answer. With
    /// <paramref name="listenAfter"/> the socket exists (bound) that long before it listens, as a starting plugin's.</summary>
    private void Serve(string name, Func<string, string?> answer, TimeSpan? listenAfter = null)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(_temp.Combine(name + ".sock")));
        if (listenAfter is null) listener.Listen();
        _stop.Token.Register(listener.Dispose);
        _ = Task.Run(async () =>
        {
            if (listenAfter is { } delay)
            {
                await Task.Delay(delay, _stop.Token);
                listener.Listen();
            }
            while (!_stop.IsCancellationRequested)
            {
                Socket connection;
                try { connection = await listener.AcceptAsync(_stop.Token); }
                catch (Exception) { return; }
                Interlocked.Increment(ref _connections);
                _ = Task.Run(async () =>
                {
                    using var stream = new NetworkStream(connection, ownsSocket: true);
                    var buffer = new byte[65536];
                    var text = "";
                    while (true)
                    {
                        var n = await stream.ReadAsync(buffer, _stop.Token);
                        if (n == 0) return;
                        text += Encoding.UTF8.GetString(buffer, 0, n);
                        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                        if (end < 0) continue;
                        var lengthLine = text.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                        var length = lengthLine is null ? 0 : int.Parse(lengthLine.Split(':')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                        if (text.Length < end + 4 + length) continue;
                        var path = text.Split(' ')[1];
                        lock (_requests) _requests.Add(path + " " + text.Substring(end + 4, length));
                        text = text[(end + 4 + length)..];
                        var body = answer(path);
                        if (body is null) { await Task.Delay(Timeout.Infinite, _stop.Token); return; }
                        var bytes = Encoding.UTF8.GetBytes(body);
                        var head = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\n\r\n";
                        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                        await stream.WriteAsync(bytes, _stop.Token);
                    }
                });
            }
        });
    }

    private VolumePluginClient NewClient(double seconds = 5) => new(new PluginDiscovery([_temp.Path]), TimeSpan.FromSeconds(seconds));

    [Fact]
    public void Calls_FollowTheProtocol()
    {
        Serve("good", path => path switch
        {
            "/Plugin.Activate" => """{"Implements":["VolumeDriver"]}""",
            "/VolumeDriver.Mount" => """{"Mountpoint":"/mnt/x","Err":""}""",
            "/VolumeDriver.Capabilities" => """{"Capabilities":{"Scope":"global"}}""",
            _ => """{"Err":""}""",
        });
        using var client = NewClient();
        client.Create("good", "v", new Dictionary<string, string> { ["size"] = "1G" });
        Assert.Equal("/mnt/x", client.Mount("good", "v", "c1"));
        client.Unmount("good", "v", "c1");
        client.Remove("good", "v");
        Assert.Equal("global", client.Scope("good"));
        Assert.Equal(
            [
                "/Plugin.Activate {}",
                """/VolumeDriver.Create {"Name":"v","Opts":{"size":"1G"}}""",
                """/VolumeDriver.Mount {"Name":"v","ID":"c1"}""",
                """/VolumeDriver.Unmount {"Name":"v","ID":"c1"}""",
                """/VolumeDriver.Remove {"Name":"v"}""",
                "/VolumeDriver.Capabilities {}",
            ], _requests);
        // One connection per call: plugins are often HTTP/1.0 servers (python's http.server) that close after each
        // answer, and a pooled connection they already closed failed a later call with "unreachable".
        Assert.Equal(_requests.Count, Volatile.Read(ref _connections));
    }

    [Fact]
    public void APluginNotListeningYet_IsAskedAgain_NotReportedUnreachable()
    {
        Serve("starting", path => path == "/Plugin.Activate" ? """{"Implements":["VolumeDriver"]}""" : """{"Err":""}""", listenAfter: TimeSpan.FromMilliseconds(200));
        // The fake plugin serves from the thread pool, which a loaded test run can starve for seconds once it listens:
        // the timeout is generous so that only "refused, so unreachable" (what this test is about) can fail it.
        using var client = NewClient(seconds: 60);
        client.Create("starting", "v", new Dictionary<string, string>());
        Assert.Contains("""/VolumeDriver.Create {"Name":"v","Opts":{}}""", _requests);
    }

    [Fact]
    public void ErrAnswer_BecomesTheMessage()
    {
        Serve("failing", path => path == "/Plugin.Activate" ? """{"Implements":["VolumeDriver"]}""" : """{"Err":"disk full"}""");
        using var client = NewClient();
        var error = Assert.Throws<EngineException>(() => client.Create("failing", "v", new Dictionary<string, string>()));
        Assert.Equal("create v: VolumeDriver.Create: disk full", error.Message);
    }

    [Fact]
    public void HangingPlugin_TimesOutWithAClearMessage()
    {
        Serve("hang", path => path == "/Plugin.Activate" ? """{"Implements":["VolumeDriver"]}""" : null);
        // 2 s, not less: the fake's Activate answer must arrive in time even on a busy CI host.
        using var client = NewClient(seconds: 2);
        var started = DateTime.UtcNow;
        var error = Assert.Throws<EngineException>(() => client.Mount("hang", "v", "c1"));
        Assert.Equal("mount v: VolumeDriver.Mount: plugin hang did not answer within 2s", error.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void GarbageAndWrongPlugins_AreReported()
    {
        Serve("garbage", _ => "<html>nope</html>");
        Serve("network", _ => """{"Implements":["NetworkDriver"]}""");
        using var client = NewClient();
        Assert.Contains("invalid answer from plugin garbage", Assert.Throws<EngineException>(() => client.Create("garbage", "v", new Dictionary<string, string>())).Message);
        Assert.Contains("does not implement VolumeDriver", Assert.Throws<EngineException>(() => client.Create("network", "v", new Dictionary<string, string>())).Message);
        var missing = Assert.Throws<EngineException>(() => client.Create("absent", "v", new Dictionary<string, string>()));
        Assert.Equal((ErrorKind.NotFound, "error looking up volume plugin absent: plugin \"absent\" not found"), (missing.Kind, missing.Message));
    }

    [Fact]
    public void ListAndGet_ReadThePluginsVolumes_AndAnErrIsNoSuchVolume()
    {
        Serve("lister", path => path switch
        {
            "/Plugin.Activate" => """{"Implements":["VolumeDriver"]}""",
            "/VolumeDriver.List" => """{"Volumes":[{"Name":"a","Mountpoint":"/mnt/a"},{"Name":"b"},{"Mountpoint":"/nameless"}],"Err":""}""",
            _ => """{"Err":"no such volume"}""",
        });
        using var client = NewClient();
        Assert.Equal([new Wharf.Engine.Volumes.PluginVolume("a", "/mnt/a"), new Wharf.Engine.Volumes.PluginVolume("b", "")], client.List("lister"));
        Assert.Null(client.Get("lister", "zzz"));
        Assert.Contains("""/VolumeDriver.Get {"Name":"zzz"}""", _requests);
        Assert.Equal(["lister"], client.DiscoverDrivers());
    }

    [Fact]
    public void Discovery_All_NamesSocketsSpecsJsonsAndSocketDirectories()
    {
        File.WriteAllText(_temp.Combine("viaspec.spec"), "unix:///run/x.sock\n");
        File.WriteAllText(_temp.Combine("viajson.json"), """{"Addr":"tcp://127.0.0.1:9000"}""");
        File.WriteAllText(_temp.Combine("empty.spec"), "");
        File.WriteAllText(_temp.Combine("notes.txt"), "not a plugin");
        Directory.CreateDirectory(_temp.Combine("nested"));
        File.WriteAllText(_temp.Combine("nested", "nested.sock"), "");
        Assert.Equal(["nested", "viajson", "viaspec"], new PluginDiscovery([_temp.Path, _temp.Combine("missing")]).All());
    }

    [Fact]
    public void Discovery_FindsSpecAndJsonFiles()
    {
        File.WriteAllText(_temp.Combine("viaspec.spec"), "unix:///run/x.sock\n");
        File.WriteAllText(_temp.Combine("viajson.json"), """{"Name":"viajson","Addr":"tcp://127.0.0.1:9000"}""");
        var discovery = new PluginDiscovery([_temp.Path]);
        Assert.Equal("unix:///run/x.sock", discovery.Find("viaspec"));
        Assert.Equal("tcp://127.0.0.1:9000", discovery.Find("viajson"));
        Assert.Null(discovery.Find("../etc"));
        Assert.Null(discovery.Find("none"));
    }
}
