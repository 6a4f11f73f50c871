using Microsoft.AspNetCore.Http.Features;

namespace Wharf.Daemon.Http;

/// <summary>Turns an attach/exec request into a raw duplex stream: "101 UPGRADED" with "Upgrade: tcp" when the
/// client asks for it (docker CLI, docker-py, Docker.DotNet), else a plain 200 whose body is the output stream
/// and whose request body is the input (old clients that never upgrade).</summary>
internal static class Hijacker
{
    public static async Task<HijackedConnection> HijackAsync(HttpContext context, bool tty)
    {
        var contentType = tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream";
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is { IsUpgradableRequest: true })
        {
            context.Response.Headers.ContentType = contentType;
            context.Response.Headers.Connection = "Upgrade";
            context.Response.Headers.Upgrade = "tcp";
            HalfCloseTolerantConnection.MarkHijacked(context);
            var stream = await upgrade.UpgradeAsync();
            return new HijackedConnection(stream, stream);
        }
        // Without an upgrade the request body is the container's stdin: a stream for as long as the session lasts,
        // not a document held in memory, so the body limit does not apply (it still does to what was read before).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = null;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        await context.Response.StartAsync();
        await context.Response.Body.FlushAsync();
        return new HijackedConnection(context.Request.Body, context.Response.Body);
    }
}

/// <summary>The client's side of a hijacked request: what it sends (stdin) and where its output goes.</summary>
internal sealed record HijackedConnection(Stream Input, Stream Output);
