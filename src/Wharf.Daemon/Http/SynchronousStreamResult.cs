using Microsoft.AspNetCore.Http.Features;

namespace Wharf.Daemon.Http;

/// <summary>A response body produced by synchronous code (tar writers walking files and blobs): the writer runs on
/// a worker thread with synchronous I/O allowed for this one response.</summary>
internal sealed class SynchronousStreamResult(Action<Stream> write, string contentType) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Features.Get<IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
        httpContext.Response.ContentType = contentType;
        await Task.Run(() => write(httpContext.Response.Body), httpContext.RequestAborted);
    }
}
