using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Wharf.Core;
using Wharf.Registry.Storage;
using Wharf.TestKit;

namespace Wharf.Registry.Tests;

/// <summary>Adversarial interleavings of requests on one upload session: whatever arrives late, the committed blob is
/// exactly the bytes whose digest the final PUT verified, and a committed blob is never rewritten.</summary>
public sealed class UploadIntegrityTests
{
    [Fact]
    public async Task Put_WhilePatchBodyIsHeldOpen_StoredBlobStillHashesToDigest()
    {
        using var temp = new TempDirectory();
        await using var host = await RegistryTestHost.StartAsync(storage: new FileSystemStorageDriver(temp.Path));
        var content = Encoding.ASCII.GetBytes(new string('a', 4096));
        var digest = Digest.Compute(content);

        using var start = await host.Client.PostAsync("/v2/race/blobs/uploads/", null);
        var location = start.Headers.Location!.ToString();
        using var first = await host.Client.PatchAsync(location, new ByteArrayContent(content));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);

        // A second PATCH whose headers arrive now and whose body arrives only after the upload is complete.
        var late = Encoding.ASCII.GetBytes(new string('X', 1024));
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, host.Server.BaseAddress.Port);
        var stream = socket.GetStream();
        var path = new Uri(host.Server.BaseAddress, location).PathAndQuery;
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"PATCH {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: {late.Length}\r\n\r\n"));
        await stream.FlushAsync();
        await Task.Delay(300); // the server is now inside the PATCH handler, waiting for its body

        var separator = location.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        using var put = await host.Client.PutAsync($"{location}{separator}digest={digest}", new ByteArrayContent([]));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        await stream.WriteAsync(late);
        await stream.FlushAsync();
        var answer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = await stream.ReadAsync(answer, timeout.Token);
        var status = Encoding.ASCII.GetString(answer, 0, read);
        Assert.StartsWith("HTTP/1.1 4", status, StringComparison.Ordinal); // the late writer is refused, not merged

        Assert.Equal(content, await host.Client.GetByteArrayAsync($"/v2/race/blobs/{digest}"));
        var file = Path.Combine(temp.Path, "blobs/sha256", digest.Hex[..2], digest.Hex, "data");
        Assert.Equal(digest.Hex, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))));
    }

    [Fact]
    public async Task SecondUpload_OfCommittedDigest_DoesNotReplaceTheStoredFile()
    {
        using var temp = new TempDirectory();
        await using var host = await RegistryTestHost.StartAsync(storage: new FileSystemStorageDriver(temp.Path));
        var content = Encoding.ASCII.GetBytes("committed once");
        var digest = await host.PushBlobAsync("keep", content);
        var file = Path.Combine(temp.Path, "blobs/sha256", digest.Hex[..2], digest.Hex, "data");
        var written = new FileInfo(file).LastWriteTimeUtc;
        using var held = File.OpenHandle(file); // the inode a reader (or a sendfile) holds
        await Task.Delay(20);

        await host.PushBlobAsync("keep2", content);
        Assert.Equal(written, new FileInfo(file).LastWriteTimeUtc);
        Assert.Equal(content, await File.ReadAllBytesAsync(file));
        Assert.Equal(content, await host.Client.GetByteArrayAsync($"/v2/keep2/blobs/{digest}"));
    }
}
