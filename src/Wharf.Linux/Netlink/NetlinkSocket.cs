using System.Buffers.Binary;
using Wharf.Linux.Interop;

namespace Wharf.Linux.Netlink;

/// <summary>One NETLINK_ROUTE socket. A netlink socket acts on the network namespace of the thread that opened
/// it, for its whole life, whichever thread later uses it: so a socket opened once inside a container's
/// namespace configures that namespace from any thread. Requests are serialised.</summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    private readonly int _fd;
    private readonly Lock _gate = new();
    private uint _sequence;

    private NetlinkSocket(int fd) => _fd = fd;

    /// <summary>A socket in the calling thread's network namespace.</summary>
    public static NetlinkSocket Open() =>
        new(Errno.CheckIo(NetlinkSyscalls.Socket(NetlinkSyscalls.AF_NETLINK, NetlinkSyscalls.SOCK_RAW | NetlinkSyscalls.SOCK_CLOEXEC, NetlinkSyscalls.NETLINK_ROUTE), "socket(AF_NETLINK)"));

    /// <summary>A socket inside the namespace pinned at <paramref name="namespacePath"/>.</summary>
    public static NetlinkSocket OpenIn(string namespacePath) => NamespaceThread.Run(namespacePath, Open);

    /// <summary>Sends the request and waits for its acknowledgement; returns 0 or the (positive) errno the kernel answered.</summary>
    public int TrySend(NetlinkMessage message) => Exchange(message, out _);

    public void Send(NetlinkMessage message, string operation)
    {
        var error = TrySend(message);
        if (error != 0) throw new SyscallException(operation, null, error);
    }

    /// <summary>The interface index of <paramref name="name"/>, or 0 when there is none.</summary>
    public int IndexOf(string name)
    {
        var request = new NetlinkMessage(NetlinkConstants.RTM_GETLINK, 0).IfInfo().String(NetlinkConstants.IFLA_IFNAME, name);
        var error = Exchange(request, out var index);
        if (error is NetlinkConstants.ENODEV) return 0;
        if (error != 0) throw new SyscallException("netlink getlink", name, error);
        return index;
    }

    public int RequireIndex(string name)
    {
        var index = IndexOf(name);
        return index != 0 ? index : throw new SyscallException("netlink getlink", name, NetlinkConstants.ENODEV);
    }

    private int Exchange(NetlinkMessage message, out int linkIndex)
    {
        var index = 0;
        int error;
        lock (_gate)
        {
            error = ReadAnswers(Send(message), (type, answer) =>
            {
                if (type == NetlinkConstants.RTM_NEWLINK && answer.Length >= 32) index = BinaryPrimitives.ReadInt32LittleEndian(answer[20..]);
            });
        }
        linkIndex = index;
        return error;
    }

    /// <summary>Sends a request (a get, or a dump with NLM_F_DUMP) and returns the payload of every answer message
    /// (the bytes after nlmsghdr) until the kernel is done; throws on an error answer.</summary>
    public List<(ushort Type, byte[] Payload)> Query(NetlinkMessage message, string operation)
    {
        var answers = new List<(ushort, byte[])>();
        int error;
        lock (_gate)
            error = ReadAnswers(Send(message), (type, answer) => answers.Add((type, answer[16..].ToArray())));
        // The ACK of a non-dump request (error 0) comes after its answer.
        return error == 0 ? answers : throw new SyscallException(operation, null, error);
    }

    private delegate void AnswerHandler(ushort type, ReadOnlySpan<byte> message);

    /// <summary>Reads the kernel's answers to request <paramref name="sequence"/> (caller holds the gate) until
    /// NLMSG_DONE or NLMSG_ERROR, handing every other message of that request (header included) to
    /// <paramref name="onAnswer"/>; returns the errno of NLMSG_ERROR, 0 for an ACK or DONE.</summary>
    private int ReadAnswers(uint sequence, AnswerHandler onAnswer)
    {
        var buffer = new byte[65536];
        while (true)
        {
            var received = Receive(buffer);
            var offset = 0;
            while (offset + 16 <= received)
            {
                var span = buffer.AsSpan(offset, received - offset);
                var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(span);
                var type = BinaryPrimitives.ReadUInt16LittleEndian(span[4..]);
                var seq = BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
                if (length < 16 || length > span.Length) break;
                if (seq == sequence)
                {
                    if (type == NetlinkConstants.NLMSG_ERROR) return -BinaryPrimitives.ReadInt32LittleEndian(span[16..]);
                    if (type == NetlinkConstants.NLMSG_DONE) return 0;
                    onAnswer(type, span[..length]);
                }
                offset += (length + 3) & ~3;
            }
        }
    }

    /// <summary>Sends one request under a new sequence number (caller holds the gate) and returns that number.</summary>
    private uint Send(NetlinkMessage message)
    {
        var sequence = ++_sequence;
        var bytes = message.Build(sequence);
        fixed (byte* p = bytes)
        {
            if (NetlinkSyscalls.Send(_fd, p, (nuint)bytes.Length, 0) < 0) throw new SyscallException("netlink send", null, Errno.Last);
        }
        return sequence;
    }

    /// <summary>One datagram of answers into <paramref name="buffer"/>; its length.</summary>
    private int Receive(byte[] buffer)
    {
        while (true)
        {
            nint received;
            fixed (byte* p = buffer) received = NetlinkSyscalls.Recv(_fd, p, (nuint)buffer.Length, 0);
            if (received >= 0) return (int)received;
            if (Errno.Last != Errno.EINTR) throw new SyscallException("netlink recv", null, Errno.Last);
        }
    }

    public void Dispose() => FdSyscalls.Close(_fd);
}
