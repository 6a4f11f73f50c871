namespace Wharf.Daemon.Http;

/// <summary>Buffers a hijacked client's stdin until the shim stream exists; <see cref="InteractivePump"/> then
/// joins the two (output until the shim closes, input with the client's half-close passed on as EOF).</summary>
internal static class StreamPump
{
    /// <summary>Starts reading the client's stdin at once, into a buffer, so nothing it sends before the
    /// container starts (docker run -i sends stdin and its EOF straight after the 101) is lost or stalled.</summary>
    public static System.IO.Pipelines.Pipe BufferInput(Stream clientInput, CancellationToken ct)
    {
        var pipe = new System.IO.Pipelines.Pipe();
        _ = Task.Run(async () =>
        {
            var writer = pipe.Writer.AsStream();
            try
            {
                await clientInput.CopyToAsync(writer, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
            finally
            {
                await pipe.Writer.CompleteAsync().ConfigureAwait(false);
            }
        }, ct);
        return pipe;
    }
}
