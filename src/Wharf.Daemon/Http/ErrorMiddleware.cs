using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Wharf.Api;
using Wharf.Api.Errors;
using Wharf.Core.Errors;
using Wharf.Daemon.Logging;

namespace Wharf.Daemon.Http;

/// <summary>The one place where failures become HTTP: category -> status, message -> {"message": ...}. Nothing a
/// client sends may take the daemon down; unexpected exceptions are logged and answered with 500.</summary>
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
            // One write: a streaming client parses each chunk on its own (see JsonLines).
            await context.Response.Body.WriteAsync(Wharf.Api.Streams.JsonLines.Serialize(new ErrorResponse { Message = message }, ApiJsonContext.Default.ErrorResponse));
        }
    }

    public static (int Status, string Message) Classify(Exception e) => e switch
    {
        EngineException ee => (StatusFor(ee.Kind), ee.Message),
        JsonException je => (StatusCodes.Status400BadRequest, "invalid JSON: " + je.Message),
        BadHttpRequestException be => (StatusCodes.Status400BadRequest, be.Message),
        FormatException fe => (StatusCodes.Status400BadRequest, fe.Message),
        _ => (StatusCodes.Status500InternalServerError, e.Message),
    };

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
