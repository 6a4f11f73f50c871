using Microsoft.Win32.SafeHandles;

namespace Wharf.Shim;

/// <summary>Reads one container output pipe on a dedicated thread (blocking reads on a pipe would tie up a
/// thread-pool thread anyway) and publishes each chunk. Completes at EOF, i.e. when every writer
/// (the container and anything it forked) has closed the pipe.</summary>
internal static class OutputPump
{
    public static Task Start(SafeFileHandle readEnd, OutputStream stream, OutputHub hub)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                using var pipe = new FileStream(readEnd, FileAccess.Read, bufferSize: 0);
                var buffer = new byte[32 * 1024];
                int n;
                while ((n = pipe.Read(buffer, 0, buffer.Length)) > 0)
                    hub.Publish(stream, buffer.AsSpan(0, n));
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"wharf-shim: {stream} pump: {e.Message}");
            }
            finally
            {
                done.TrySetResult();
            }
        }, maxStackSize: 256 * 1024)
        { IsBackground = true, Name = $"pump-{stream}" };
        thread.Start();
        return done.Task;
    }
}
