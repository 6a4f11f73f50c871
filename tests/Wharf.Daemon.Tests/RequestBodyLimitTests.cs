using System.Text;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wharf.Daemon.Configuration;
using Wharf.Daemon.Endpoints;
using Wharf.Daemon.Http;
using Wharf.Engine.Builder;
using Wharf.Engine.Containers;
using Wharf.Engine.Distribution;
using Wharf.Engine.Events;
using Wharf.Engine.Images;
using Wharf.Engine.Networks;
using Wharf.Engine.Volumes;

namespace Wharf.Daemon.Tests;

/// <summary>Request bodies are capped (an endless body on a JSON endpoint is a 413, not a daemon that grows until the
/// kernel kills it); only the endpoints that stream an archive to disk are exempt.</summary>
public sealed class RequestBodyLimitTests
{
    private const long OverLimit = RequestBodyLimits.Default + 1024 * 1024;

    [Fact]
    public async Task Post_BodyOverTheLimit_Is413OnAJsonEndpointAndAcceptedOnAStreamingOne()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"wharf-body-{Guid.NewGuid():N}.sock");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            RequestBodyLimits.Apply(kestrel);
            kestrel.ListenUnixSocket(socket);
        });
        await using var app = builder.Build();
        app.UseMiddleware<ErrorMiddleware>();
        app.UseRouting();
        app.MapPost("/json", (Delegate)CountAsync);
        app.MapPost("/stream", (Delegate)CountAsync).AllowStreamingBody();
        await app.StartAsync();
        try
        {
            Assert.Equal((200, "1024"), await PostChunkedAsync(socket, "/json", 1024));
            // Chunked, so the limit is found while reading, not from a Content-Length.
            var (status, body) = await PostChunkedAsync(socket, "/json", OverLimit);
            Assert.Equal(413, status);
            Assert.Contains("too large", body, StringComparison.OrdinalIgnoreCase);
            Assert.Equal((200, OverLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)), await PostChunkedAsync(socket, "/stream", OverLimit));
        }
        finally
        {
            await app.StopAsync();
            File.Delete(socket);
        }
    }

    [Fact]
    public void ApiRoutes_OnlyArchiveStreamsAreExemptFromTheLimit()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Endpoint metadata is inferred from the handlers' parameters: the services must be known, never built.
        foreach (var service in new[]
                 {
                     typeof(ContainerService), typeof(ImageService), typeof(ImageBuilder), typeof(ImageDistributionService),
                     typeof(NetworkService), typeof(EventBus), typeof(ContainerQueries), typeof(ContainerCommitter),
                     typeof(DaemonSettings), typeof(HostInventory), typeof(DaemonDetachKeys), typeof(VolumeService),
                     typeof(Wharf.Engine.EngineOptions), typeof(Wharf.Core.Host.IMountOps),
                 })
            builder.Services.AddSingleton(service, _ => throw new InvalidOperationException("not for this test"));
        builder.Services.AddSingleton(TimeProvider.System); // the host's own services take it too
        var app = builder.Build();
        app.MapApi();

        var exempt = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(RequestBodyLimits.AllowsStreamingBody)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(["POST /build", "POST /images/create", "POST /images/load", "PUT /containers/{id}/archive"], exempt);
    }

    private static async Task<IResult> CountAsync(HttpContext context)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0) total += n;
        return Results.Text(total.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>POSTs <paramref name="length"/> bytes chunked over the unix socket and returns the status and body. A raw
    /// socket rather than HttpClient: a server that answers 413 and closes while the body is still being sent is the
    /// point here, and HttpClient reports that as a failed send instead of returning the answer.</summary>
    private static async Task<(int Status, string Body)> PostChunkedAsync(string socketPath, string path, long length)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        // Read while sending: the server answers 413 as soon as it has read past the limit and then resets the
        // connection, which can discard an answer that is only read afterwards.
        var received = new MemoryStream();
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[16 * 1024];
            try
            {
                int n;
                while ((n = await stream.ReadAsync(buffer)) > 0) received.Write(buffer, 0, n);
            }
            catch (IOException)
            {
                // reset after the answer: what arrived is the answer
            }
        });
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: wharf\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"));
            var chunk = new byte[64 * 1024];
            for (long sent = 0; sent < length; sent += chunk.Length)
            {
                var size = (int)Math.Min(chunk.Length, length - sent);
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{size:x}\r\n"));
                await stream.WriteAsync(chunk.AsMemory(0, size));
                await stream.WriteAsync("\r\n"u8.ToArray());
            }
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        }
        catch (IOException)
        {
            // The server stopped reading (413) and closed its side.
        }
        await reading.WaitAsync(TimeSpan.FromSeconds(30));
        var response = Encoding.ASCII.GetString(received.ToArray());
        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var headerEnd = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var rawBody = response[(headerEnd + 4)..];
        return (status, response.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase) ? Unchunk(rawBody) : rawBody);
    }

    private static string Unchunk(string chunked)
    {
        var result = new StringBuilder();
        var position = 0;
        while (true)
        {
            var lineEnd = chunked.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[position..lineEnd], 16);
            if (size == 0) return result.ToString();
            result.Append(chunked, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
    }
}
