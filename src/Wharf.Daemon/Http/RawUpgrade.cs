using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Wharf.Daemon.Http;

/// <summary>The 101 for a hijack request that carries a body. Docker clients send exec start as a POST with a JSON
/// body AND "Upgrade: tcp"; Kestrel never offers the upgrade feature for a request with a body, so the usual
/// <see cref="Hijacker"/> path would answer a plain 200, which the docker CLI rejects ("unable to upgrade to tcp,
/// received 200"). Once the body has been read, we write the 101 ourselves on the connection's transport and use
/// the transport as the raw stream. The caller must <see cref="HttpContext.Abort"/> the request when done, so
/// Kestrel never writes a response of its own after the stream.
/// A request WITHOUT "Upgrade: tcp" (Docker.DotNet 3.x sends attach and exec start that way) gets what Docker's
/// daemon answers it: "200 OK" with neither Content-Length nor chunking, then the same raw stream both ways. Kestrel's
/// own 200 would be chunked, which such a client reads as garbage, and would never hand over the client's stdin.</summary>
internal static class RawUpgrade
{
    /// <summary>Null when Kestrel can upgrade the request normally (or the transport is not a socket).</summary>
    public static async Task<HijackedConnection?> TryAsync(HttpContext context, bool tty)
    {
        var request = context.Request;
        var upgrade = request.Headers.Upgrade.ToString().Contains("tcp", StringComparison.OrdinalIgnoreCase);
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }) return null;
        if (context.Features.Get<IConnectionTransportFeature>()?.Transport is not { } transport) return null;
        // Output goes straight to the socket, not through Kestrel's output pipe: when the caller aborts the request
        // afterwards, everything sent is already in the kernel and cannot be dropped with the pipe.
        if (context.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket) return null;
        var contentType = tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream";
        var head = new StringBuilder()
            .Append(upgrade ? "HTTP/1.1 101 UPGRADED\r\n" : "HTTP/1.1 200 OK\r\n")
            .Append("Content-Type: ").Append(contentType).Append("\r\n");
        if (upgrade) head.Append("Connection: Upgrade\r\n").Append("Upgrade: tcp\r\n");
        foreach (var name in new[] { "Api-Version", "Docker-Experimental", "Ostype", "Server" })
        {
            if (context.Response.Headers.TryGetValue(name, out var value)) head.Append(name).Append(": ").Append(value.ToString()).Append("\r\n");
        }
        head.Append("\r\n");
        HalfCloseTolerantConnection.MarkHijacked(context);
        var output = new NetworkStream(socket, ownsSocket: false);
        await output.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), context.RequestAborted);
        return new HijackedConnection(transport.Input.AsStream(leaveOpen: true), output);
    }
}
