using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using Wharf.Linux.Interop;

namespace Wharf.Linux.Terminals;

/// <summary>The receiving end of runc's --console-socket: runc connects to a unix socket we listen on and sends
/// the pseudo-terminal master it created for the container as SCM_RIGHTS ancillary data. The socket lives in a
/// fresh short directory under /tmp, because sun_path holds only 108 bytes and state directories can be deep.</summary>
public sealed class ConsoleSocket : IDisposable
{
    private readonly Socket _listener;
    private readonly string _directory;

    private ConsoleSocket(Socket listener, string directory, string path)
    {
        _listener = listener;
        _directory = directory;
        Path = path;
    }

    /// <summary>What to pass as runc's --console-socket.</summary>
    public string Path { get; }

    public static ConsoleSocket Listen()
    {
        var directory = Directory.CreateTempSubdirectory("wharf-pty").FullName;
        var path = System.IO.Path.Combine(directory, "c.sock");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            return new ConsoleSocket(listener, directory, path);
        }
        catch
        {
            listener.Dispose();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>Waits for runc to connect and returns the pty master it sends (close-on-exec).</summary>
    public async Task<SafeFileHandle> ReceiveMasterAsync(CancellationToken ct)
    {
        using var connection = await _listener.AcceptAsync(ct).ConfigureAwait(false);
        // runc sends the fd right after connecting; a blocking recvmsg on a pool thread is short.
        return await Task.Run(() => ReceiveFd(connection), ct).ConfigureAwait(false);
    }

    /// <summary>Receives one file descriptor passed with SCM_RIGHTS on a connected unix socket.</summary>
    public static unsafe SafeFileHandle ReceiveFd(Socket connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var payload = stackalloc byte[256]; // runc also sends the terminal's name as ordinary data
        const int ControlSize = 64; // CMSG_SPACE(sizeof(int)) is 24; room to spare
        var control = stackalloc byte[ControlSize];
        new Span<byte>(control, ControlSize).Clear();
        var iov = new SocketSyscalls.IoVec { Base = payload, Length = 256 };
        var message = new SocketSyscalls.MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = ControlSize };
        var fd = (int)connection.Handle;
        nint received;
        do
        {
            received = SocketSyscalls.RecvMsg(fd, &message, SocketSyscalls.MSG_CMSG_CLOEXEC);
        }
        while (received < 0 && Errno.Last == Errno.EINTR);
        Errno.CheckIo(received < 0 ? -1 : 0, "recvmsg", "console socket");
        var header = (SocketSyscalls.CmsgHdr*)control;
        if (message.ControlLength < (nuint)sizeof(SocketSyscalls.CmsgHdr) || header->Level != SocketSyscalls.SOL_SOCKET || header->Type != SocketSyscalls.SCM_RIGHTS)
            throw new IOException("console socket: no file descriptor received");
        var receivedFd = *(int*)(control + sizeof(SocketSyscalls.CmsgHdr));
        return new SafeFileHandle(receivedFd, ownsHandle: true);
    }

    public void Dispose()
    {
        _listener.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory
        }
    }
}
