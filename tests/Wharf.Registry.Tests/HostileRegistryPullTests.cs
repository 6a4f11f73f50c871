using System.Net;
using System.Net.Sockets;
using System.Text;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Engine.Images;
using Wharf.TestKit;
using static Wharf.Registry.Tests.DistributionTestImages;

namespace Wharf.Registry.Tests;

/// <summary>A registry that answers a manifest or a config with an endless body: the pull fails with a clear error
/// after reading about the limit (4 MiB for a manifest, 8 MiB for a config), it never buffers the whole answer.</summary>
public sealed class HostileRegistryPullTests
{
    [Fact]
    public async Task Pull_EndlessManifest_FailsAtTheLimitWithoutReadingTheRest()
    {
        using var temp = new TempDirectory("wharf-pull-endless-manifest");
        await using var registry = new EndlessRegistry(manifest: null);
        var store = NewStore(temp.Combine("store"));

        var error = await Assert.ThrowsAsync<EngineException>(() => store.Distribution.PullAsync(
            ImageReference.Parse($"127.0.0.1:{registry.Port}/evil/app:v1"), null, null, _ => Task.CompletedTask, CancellationToken.None));

        Assert.Contains("manifest too large", error.Message, StringComparison.Ordinal);
        Assert.True(registry.EndlessBytesSent < 64L * 1024 * 1024, $"the client read {registry.EndlessBytesSent} bytes");
    }

    [Fact]
    public async Task Pull_EndlessConfig_FailsAtTheLimitWithoutReadingTheRest()
    {
        using var temp = new TempDirectory("wharf-pull-endless-config");
        var configDigest = Digest.Compute("any config"u8);
        var manifest = $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":10},"layers":[]}""";
        await using var registry = new EndlessRegistry(manifest);
        var store = NewStore(temp.Combine("store"));

        var error = await Assert.ThrowsAsync<EngineException>(() => store.Distribution.PullAsync(
            ImageReference.Parse($"127.0.0.1:{registry.Port}/evil/app:v1"), null, null, _ => Task.CompletedTask, CancellationToken.None));

        Assert.Contains($"blob {configDigest} too large", error.Message, StringComparison.Ordinal);
        Assert.True(registry.EndlessBytesSent < 64L * 1024 * 1024, $"the client read {registry.EndlessBytesSent} bytes");
    }

    [Fact]
    public async Task Pull_ConfigNotMatchingItsDigest_IsRefused()
    {
        using var temp = new TempDirectory("wharf-pull-wrong-config");
        var configDigest = Digest.Compute("the config the manifest names"u8);
        var manifest = $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":29},"layers":[]}""";
        await using var registry = new EndlessRegistry(manifest, blob: """{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
        var store = NewStore(temp.Combine("store"));

        var error = await Assert.ThrowsAsync<EngineException>(() => store.Distribution.PullAsync(
            ImageReference.Parse($"127.0.0.1:{registry.Port}/evil/app:v1"), null, null, _ => Task.CompletedTask, CancellationToken.None));

        Assert.Equal($"blob {configDigest} failed digest verification", error.Message);
        Assert.Empty(store.Images.List());
    }

    /// <summary>The defect the load fuzzer found (ImageLoadFuzzTests), on the pull side: a config whose rootfs is JSON
    /// null was a NullReferenceException (a 500); now the same error as docker load's.</summary>
    [Fact]
    public async Task Pull_ConfigWithNullRootfs_InvalidImageConfig()
    {
        using var temp = new TempDirectory("wharf-pull-null-rootfs");
        const string config = """{"architecture":"amd64","os":"linux","rootfs":null}""";
        var configDigest = Digest.Compute(Encoding.UTF8.GetBytes(config));
        var manifest = $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":{{config.Length}}},"layers":[]}""";
        await using var registry = new EndlessRegistry(manifest, blob: config);
        var store = NewStore(temp.Combine("store"));

        var error = await Assert.ThrowsAsync<EngineException>(() => store.Distribution.PullAsync(
            ImageReference.Parse($"127.0.0.1:{registry.Port}/evil/app:v1"), null, null, _ => Task.CompletedTask, CancellationToken.None));

        Assert.Equal("invalid image config: no rootfs", error.Message);
        Assert.Empty(store.Images.List());
    }

    /// <summary>HTTP/1.1 on 127.0.0.1: /v2/ answers 200; the manifest is <c>manifest</c> when given, else endless;
    /// any blob is <c>blob</c> when given, else endless. "Endless" stops at 1 GiB or when the client goes away.</summary>
    private sealed class EndlessRegistry : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly string? _manifest;
        private readonly string? _blob;
        private readonly Task _loop;
        private long _endlessBytes;

        public EndlessRegistry(string? manifest, string? blob = null)
        {
            _manifest = manifest;
            _blob = blob;
            _listener.Start();
            _loop = Task.Run(AcceptAsync);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public long EndlessBytesSent => Interlocked.Read(ref _endlessBytes);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await _loop;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(() => ServeAsync(client));
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using var _ = client;
            try
            {
                var first = new byte[1];
                if (await client.Client.ReceiveAsync(first, SocketFlags.Peek, _stop.Token) == 0 || first[0] == 0x16)
                    return; // a TLS handshake: the client tries https first on loopback, then falls back to http
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                while (await reader.ReadLineAsync(_stop.Token) is { } requestLine)
                {
                    while (await reader.ReadLineAsync(_stop.Token) is { Length: > 0 })
                    {
                        // headers: nothing in them matters here
                    }
                    var path = requestLine.Split(' ')[1];
                    if (path == "/v2/")
                        await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
                    else if (path.Contains("/manifests/", StringComparison.Ordinal) && _manifest is not null)
                        await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oci.image.manifest.v1+json\r\nContent-Length: {Encoding.UTF8.GetByteCount(_manifest)}\r\n\r\n{_manifest}");
                    else if (path.Contains("/blobs/", StringComparison.Ordinal) && _blob is not null)
                        await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {Encoding.UTF8.GetByteCount(_blob)}\r\n\r\n{_blob}");
                    else
                    {
                        await WriteEndlessAsync(stream);
                        return;
                    }
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // the client hung up: what the test wants
            }
        }

        private Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.UTF8.GetBytes(text), _stop.Token).AsTask();

        private async Task WriteEndlessAsync(NetworkStream stream)
        {
            // No Content-Length: the body ends when the connection closes, so only reading it tells its size.
            await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oci.image.manifest.v1+json\r\nConnection: close\r\n\r\n");
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)' ');
            for (long sent = 0; sent < 1L << 30; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk, _stop.Token);
                Interlocked.Add(ref _endlessBytes, chunk.Length);
            }
        }
    }
}
