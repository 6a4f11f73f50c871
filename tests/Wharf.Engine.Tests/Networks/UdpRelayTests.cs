using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;
using Wharf.Engine.Networks;

namespace Wharf.Engine.Tests.Networks;

/// <summary>The in-daemon UDP proxy of a published port, on loopback: datagrams go to the target and answers come
/// back to the sender; a client's upstream socket is kept while in use and replaced after it was idle.</summary>
public sealed class UdpRelayTests : IDisposable
{
    private readonly Socket _echo = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly List<int> _senderPorts = [];
    private readonly CancellationTokenSource _stop = new();

    public UdpRelayTests()
    {
        _echo.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _ = EchoAsync();
    }

    /// <summary>The "container": answers "echo:&lt;datagram&gt;" and remembers which port each datagram came from.</summary>
    private async Task EchoAsync()
    {
        var buffer = new byte[2048];
        try
        {
            while (true)
            {
                var received = await _echo.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                lock (_senderPorts) _senderPorts.Add(((IPEndPoint)received.RemoteEndPoint).Port);
                await _echo.SendToAsync(Encoding.ASCII.GetBytes("echo:" + Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes)), SocketFlags.None, received.RemoteEndPoint, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private int LastSenderPort()
    {
        lock (_senderPorts) return _senderPorts[^1];
    }

    private static async Task<string> RoundTripAsync(UdpClient client, int port, string message)
    {
        await client.SendAsync(Encoding.ASCII.GetBytes(message), new IPEndPoint(IPAddress.Loopback, port));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return Encoding.ASCII.GetString((await client.ReceiveAsync(timeout.Token)).Buffer);
    }

    [Fact]
    public async Task Publish_Udp_RelaysBothWays_KeepsUpstreamWhileUsed_ReplacesItAfterIdleTimeout()
    {
        var clock = new ManualClock();
        using var publisher = new PortPublisher(clock);
        var endpoint = new EndpointRecord { ContainerId = "c", EndpointId = "e", ContainerName = "c", IPv4Address = "127.0.0.1/8" };
        var targetPort = ((IPEndPoint)_echo.LocalEndPoint!).Port;
        publisher.Publish(endpoint, new Dictionary<string, List<PortMapping>> { [$"{targetPort}/udp"] = [new PortMapping { HostIp = "127.0.0.1" }] });
        var published = int.Parse(endpoint.Ports[$"{targetPort}/udp"][0].HostPort, System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(0, published);

        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        Assert.Equal("echo:one", await RoundTripAsync(client, published, "one"));
        var upstream = LastSenderPort();
        Assert.NotEqual(((IPEndPoint)client.Client.LocalEndPoint!).Port, upstream); // relayed, not sent directly

        clock.Advance(PortPublisher.UdpIdleTimeout / 2);
        Assert.Equal("echo:two", await RoundTripAsync(client, published, "two"));
        Assert.Equal(upstream, LastSenderPort());

        clock.Advance(PortPublisher.UdpIdleTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal("echo:three", await RoundTripAsync(client, published, "three"));
        Assert.NotEqual(upstream, LastSenderPort());

        publisher.Unpublish(endpoint);
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, published)); // the host port is free again
    }

    [Fact]
    public async Task Publish_Udp_AnswersOnceTheServerListens_AfterEarlierDatagramsWereRefused()
    {
        // The "container" server is not up yet: its port is reserved, then closed so the kernel answers ICMP
        // port-unreachable, as it does while a containerised server is still starting.
        int targetPort;
        using (var reserve = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            reserve.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            targetPort = ((IPEndPoint)reserve.LocalEndPoint!).Port;
        }
        using var publisher = new PortPublisher(TimeProvider.System);
        var endpoint = new EndpointRecord { ContainerId = "c", EndpointId = "e", ContainerName = "c", IPv4Address = "127.0.0.1/8" };
        publisher.Publish(endpoint, new Dictionary<string, List<PortMapping>> { [$"{targetPort}/udp"] = [new PortMapping { HostIp = "127.0.0.1" }] });
        var published = int.Parse(endpoint.Ports[$"{targetPort}/udp"][0].HostPort, System.Globalization.CultureInfo.InvariantCulture);

        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        for (var i = 0; i < 3; i++)
        {
            await client.SendAsync(Encoding.ASCII.GetBytes("early"), new IPEndPoint(IPAddress.Loopback, published));
            await Task.Delay(50);
        }

        using var late = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        late.Bind(new IPEndPoint(IPAddress.Loopback, targetPort));
        var answered = Task.Run(async () =>
        {
            var buffer = new byte[2048];
            var received = await late.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0));
            await late.SendToAsync(Encoding.ASCII.GetBytes("late:" + Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes)), SocketFlags.None, received.RemoteEndPoint);
        });
        Assert.Equal("late:now", await RoundTripAsync(client, published, "now"));
        await answered;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _echo.Dispose();
        _stop.Dispose();
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
