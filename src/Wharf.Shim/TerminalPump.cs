using Microsoft.Win32.SafeHandles;

namespace Wharf.Shim;

/// <summary>Reads a pty master (or a pipe) on a dedicated thread until the slave side is gone (the kernel then answers EIO,
/// which is the normal end of a terminal, not an error). The master itself stays open: its owner closes it.</summary>
internal static class TerminalPump
{
    public delegate void ChunkHandler(ReadOnlySpan<byte> chunk);

    /// <param name="ownsHandle">Close the handle when the pump ends (pipes); a pty master is closed by its owner.</param>
    public static Task Start(SafeFileHandle master, ChunkHandler publish, bool ownsHandle = false)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                // A non-owning view when the caller keeps the fd: disposing the stream must not close it.
                using var stream = new FileStream(ownsHandle ? master : new SafeFileHandle(master.DangerousGetHandle(), ownsHandle: false), FileAccess.Read, bufferSize: 0);
                var buffer = new byte[32 * 1024];
                int n;
                while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
                    publish(buffer.AsSpan(0, n));
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException)
            {
                // EIO: every slave fd is closed
            }
            finally
            {
                done.TrySetResult();
            }
        }, maxStackSize: 256 * 1024)
        { IsBackground = true, Name = "pump-pty" };
        thread.Start();
        return done.Task;
    }
}
