using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Wharf.Api;
using Wharf.Api.Errors;
using Wharf.Core.Errors;
using Wharf.Daemon.Logging;

namespace Wharf.Daemon.Http;

/// <summary>The one place where failures become HTTP: category -> status, message -> {"message": ...}. Nothing a
/// client sends may take the daemon down; unexpected exceptions are logged with their detail and answered with a
/// generic 500: their messages name host paths (an IOException's file name) and internals a client must not see.</summary>
internal sealed class ErrorMiddleware(RequestDelegate next, ILogger<ErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e)
        {
            var (status, message) = Classify(e);
            if (status >= 500) DaemonLog.RequestFailed(logger, context.Request.Method, context.Request.Path, e);
            if (context.Response.HasStarted || context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } && context.Response.StatusCode == 101)
            {
                context.Abort();
                return;
            }
            context.Response.Clear();
            context.Response.StatusCode = status;
            if (status == StatusCodes.Status304NotModified) return;
            context.Response.ContentType = "application/json";
            // One write with a Content-Length, as dockerd answers errors: a client that streams (docker-py's build and
            // pull) takes a chunked answer for a stream and yields it instead of raising.
            var body = Wharf.Api.Streams.JsonLines.Serialize(new ErrorResponse { Message = message }, ApiJsonContext.Default.ErrorResponse);
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body);
        }
    }

    public static (int Status, string Message) Classify(Exception e) => e switch
    {
        EngineException ee => (StatusFor(ee.Kind), ee.Message),
        // The cluster store could not be reached (or refused): the request may work later, as with a 503.
        Wharf.Core.Cluster.ClusterStoreException ce => (StatusCodes.Status503ServiceUnavailable, ce.Message),
        JsonException je => (StatusCodes.Status400BadRequest, "invalid JSON: " + je.Message),
        BadHttpRequestException be => (be.StatusCode, be.Message), // 400, or 413 for a body over the limit
        FormatException fe => (StatusCodes.Status400BadRequest, fe.Message),
        IOException io when IsMalformedRequestBody(io) => (StatusCodes.Status400BadRequest, "malformed request body: " + io.Message),
        _ => (StatusCodes.Status500InternalServerError, UnexpectedMessage),
    };

    /// <summary>Kestrel reports a chunk size that overflows as an IOException wrapping the OverflowException of its
    /// HTTP/1 chunked body parser rather than as BadHttpRequestException: the client's fault, so 400. Told by that
    /// shape, not by the throwing method (Exception.TargetSite needs reflection metadata a trimmed daemon lacks);
    /// nothing else on a request's path wraps an overflow in an IOException.</summary>
    private static bool IsMalformedRequestBody(IOException e) => e.InnerException is OverflowException;

    /// <summary>What a client is told about a failure nobody anticipated; the detail goes to the daemon's log.</summary>
    public const string UnexpectedMessage = "internal error: the daemon could not complete the request (the daemon log has the details)";

    public static int StatusFor(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => StatusCodes.Status400BadRequest,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.NotModified => StatusCodes.Status304NotModified,
        ErrorKind.NotImplemented => StatusCodes.Status501NotImplemented,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
