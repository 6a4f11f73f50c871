using System.Formats.Tar;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Wharf.EndToEnd.Tests;

/// <summary>What real API clients (docker-py's integration suite) rely on beyond the docker CLI: JSON nulls as absent
/// members, one chunk per stream message, framing chosen by the exec start request, kill that returns once stopped,
/// attach ?logs=1 alone, commit's Parent, host PID namespace.</summary>
[Collection(DaemonCollection.Name)]
public sealed class ClientCompatibilityTests(DaemonFixture daemon)
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<string> CreateAsync(string body)
    {
        using var client = daemon.CreateHttpClient();
        using var response = await client.PostAsync("v1.44/containers/create", Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("Id").GetString()!;
    }

    private async Task<JsonElement> InspectAsync(string path)
    {
        using var client = daemon.CreateHttpClient();
        return JsonDocument.Parse(await client.GetStringAsync("v1.44/" + path)).RootElement.Clone();
    }

    private async Task PostAsync(string path)
    {
        using var client = daemon.CreateHttpClient();
        using var response = await client.PostAsync("v1.44/" + path, null);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task RemoveAsync(string id) => await daemon.DockerAsync("rm", "-f", id);

    [Fact]
    public async Task Create_NullMembers_AreTakenAsAbsent()
    {
        var id = await CreateAsync("""
            {"Image":"busybox","Cmd":["true"],"Env":null,"Labels":null,
             "Healthcheck":{"Test":["CMD","true"],"Interval":null,"Timeout":null,"Retries":null,"StartPeriod":null},
             "HostConfig":{"Memory":null,"Binds":null,"RestartPolicy":null}}
            """);
        try
        {
            var inspect = await InspectAsync($"containers/{id}/json");
            Assert.Equal("CMD", inspect.GetProperty("Config").GetProperty("Healthcheck").GetProperty("Test")[0].GetString());
        }
        finally
        {
            await RemoveAsync(id);
        }
    }

    [Fact]
    public async Task Build_EveryStreamChunk_IsWholeJsonLines()
    {
        using var context = new MemoryStream();
        using (var tar = new TarWriter(context, leaveOpen: true))
        {
            var dockerfile = new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile") { DataStream = new MemoryStream("FROM busybox\nRUN echo built\nCMD [\"true\"]\n"u8.ToArray()) };
            tar.WriteEntry(dockerfile);
        }
        var tag = "compat-build-" + Guid.NewGuid().ToString("N")[..6];
        var chunks = await RawChunkedPostAsync($"/v1.44/build?t={tag}&rm=1", "application/x-tar", context.ToArray());
        try
        {
            Assert.NotEmpty(chunks);
            foreach (var chunk in chunks)
            {
                // docker-py parses each chunk on its own: a chunk must hold whole messages, each with its newline.
                Assert.EndsWith("\n", chunk);
                foreach (var line in chunk.Split('\n', StringSplitOptions.RemoveEmptyEntries)) JsonDocument.Parse(line).Dispose();
            }
            Assert.Contains(chunks, c => c.Contains("Successfully built", StringComparison.Ordinal));
        }
        finally
        {
            await daemon.DockerAsync("rmi", "-f", tag);
        }
    }

    [Fact]
    public async Task ExecStart_TtyExecReadWithoutTty_IsFramedAsStdout()
    {
        var id = await CreateAsync("""{"Image":"busybox","Cmd":["sleep","60"]}""");
        try
        {
            await PostAsync($"containers/{id}/start");
            using var client = daemon.CreateHttpClient();
            using var create = await client.PostAsync($"v1.44/containers/{id}/exec", Json("""{"Cmd":["printf","framed"],"Tty":true,"AttachStdout":true}"""));
            var execId = JsonDocument.Parse(await create.Content.ReadAsStringAsync()).RootElement.GetProperty("Id").GetString();
            using var start = await client.PostAsync($"v1.44/exec/{execId}/start", Json("""{"Tty":false}"""));
            var body = await start.Content.ReadAsByteArrayAsync();
            Assert.True(body.Length >= 8, Encoding.UTF8.GetString(body));
            Assert.Equal(1, body[0]); // stdout frame
            var size = (body[4] << 24) | (body[5] << 16) | (body[6] << 8) | body[7];
            Assert.Equal("framed", Encoding.UTF8.GetString(body, 8, size));
        }
        finally
        {
            await RemoveAsync(id);
        }
    }

    [Fact]
    public async Task Kill_Default_ReturnsOnceTheContainerStopped()
    {
        var id = await CreateAsync("""{"Image":"busybox","Cmd":["sleep","9999"]}""");
        try
        {
            await PostAsync($"containers/{id}/start");
            await PostAsync($"containers/{id}/kill");
            var state = (await InspectAsync($"containers/{id}/json")).GetProperty("State");
            Assert.False(state.GetProperty("Running").GetBoolean());
            Assert.Equal(137, state.GetProperty("ExitCode").GetInt32());
        }
        finally
        {
            await RemoveAsync(id);
        }
    }

    [Fact]
    public async Task Attach_LogsWithoutStream_ReplaysWhatWasLogged()
    {
        var id = await CreateAsync("""{"Image":"busybox","Cmd":["echo","hello"]}""");
        try
        {
            await PostAsync($"containers/{id}/start");
            await PostAsync($"containers/{id}/wait");
            using var client = daemon.CreateHttpClient();
            using var attach = await client.PostAsync($"v1.44/containers/{id}/attach?logs=1&stream=0&stdout=1&stderr=1", null);
            var body = await attach.Content.ReadAsByteArrayAsync();
            Assert.True(body.Length >= 8, $"{(int)attach.StatusCode} {Encoding.UTF8.GetString(body)}");
            Assert.Equal(1, body[0]);
            Assert.Equal("hello\n", Encoding.UTF8.GetString(body, 8, body.Length - 8));
        }
        finally
        {
            await RemoveAsync(id);
        }
    }

    [Fact]
    public async Task Commit_RecordsTheContainersImageAsParent()
    {
        var id = await CreateAsync("""{"Image":"busybox","Cmd":["touch","/committed"]}""");
        string? image = null;
        try
        {
            await PostAsync($"containers/{id}/start");
            await PostAsync($"containers/{id}/wait");
            using var client = daemon.CreateHttpClient();
            using var commit = await client.PostAsync($"v1.44/commit?container={id}", null);
            image = JsonDocument.Parse(await commit.Content.ReadAsStringAsync()).RootElement.GetProperty("Id").GetString();
            var busybox = (await InspectAsync("images/busybox/json")).GetProperty("Id").GetString();
            Assert.Equal(busybox, (await InspectAsync($"images/{image}/json")).GetProperty("Parent").GetString());
        }
        finally
        {
            await RemoveAsync(id);
            if (image is not null) await daemon.DockerAsync("rmi", "-f", image);
        }
    }

    [Fact]
    public async Task Create_HostPidAndUts_ShareTheHostsNamespaces()
    {
        var id = await CreateAsync("""{"Image":"busybox","Cmd":["sh","-c","cat /proc/1/comm; hostname"],"HostConfig":{"PidMode":"host","UTSMode":"host","Isolation":"default"}}""");
        try
        {
            var host = (await InspectAsync($"containers/{id}/json")).GetProperty("HostConfig");
            Assert.Equal(("host", "host", "default"), (host.GetProperty("PidMode").GetString(), host.GetProperty("UTSMode").GetString(), host.GetProperty("Isolation").GetString()));
            await PostAsync($"containers/{id}/start");
            await PostAsync($"containers/{id}/wait");
            var logs = await daemon.DockerAsync("logs", id);
            var lines = logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(File.ReadAllText("/proc/1/comm").Trim(), lines[0]); // the host's pid 1, not sh
            Assert.Equal(Dns.GetHostName(), lines[1]);
        }
        finally
        {
            await RemoveAsync(id);
        }
    }

    [Fact]
    public async Task Load_NotAnArchive_ReportsTheErrorInTheMessageStream()
    {
        // docker-py's images.load raises ImageLoadError only from an "error" message of the stream.
        using var client = daemon.CreateHttpClient();
        using var load = await client.PostAsync("v1.44/images/load", new ByteArrayContent("abc"u8.ToArray()));
        var text = await load.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, load.StatusCode);
        var last = JsonDocument.Parse(text.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        Assert.False(string.IsNullOrEmpty(last.GetProperty("error").GetString()));
    }

    /// <summary>A raw HTTP/1.1 POST on the daemon's socket, returning the response body's chunks as sent.</summary>
    private async Task<List<string>> RawChunkedPostAsync(string path, string contentType, byte[] body)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(daemon.Socket));
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var head = $"POST {path} HTTP/1.1\r\nHost: wharf\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var all = await reader.ReadToEndAsync();
        var separator = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(separator > 0 && all.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase), all);
        var chunks = new List<string>();
        var position = separator + 4;
        while (true)
        {
            var lineEnd = all.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = Convert.ToInt32(all[position..lineEnd], 16);
            if (size == 0) break;
            // sizes count bytes; the build output here is ASCII
            chunks.Add(all.Substring(lineEnd + 2, size));
            position = lineEnd + 2 + size + 2;
        }
        return chunks;
    }
}
