using System.Buffers.Binary;
using System.Text;

namespace Wharf.Linux.Netlink;

/// <summary>Builds one rtnetlink request: nlmsghdr, a fixed family header, then (nested) attributes, all
/// 4-byte aligned and little-endian as the kernel expects on this host.</summary>
internal sealed class NetlinkMessage
{
    private readonly List<byte> _bytes = new(256);
    private readonly Stack<int> _nests = new();

    public NetlinkMessage(ushort type, ushort flags)
    {
        // nlmsghdr: len (patched in Build), type, flags, seq (patched by the socket), pid 0 (the kernel fills it).
        AppendUInt32(0);
        AppendUInt16(type);
        AppendUInt16((ushort)(flags | NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK));
        AppendUInt32(0);
        AppendUInt32(0);
    }

    /// <summary>struct ifinfomsg.</summary>
    public NetlinkMessage IfInfo(byte family = 0, int index = 0, uint flags = 0, uint change = 0)
    {
        _bytes.Add(family);
        _bytes.Add(0);
        AppendUInt16(0);
        AppendInt32(index);
        AppendUInt32(flags);
        AppendUInt32(change);
        return this;
    }

    /// <summary>struct ifaddrmsg.</summary>
    public NetlinkMessage IfAddr(byte family, byte prefixLength, int index, byte flags = 0)
    {
        _bytes.Add(family);
        _bytes.Add(prefixLength);
        _bytes.Add(flags);
        _bytes.Add(0); // RT_SCOPE_UNIVERSE
        AppendInt32(index);
        return this;
    }

    /// <summary>struct ndmsg (neighbour and FDB entries).</summary>
    public NetlinkMessage NdMsg(byte family, int index, ushort state, byte flags)
    {
        _bytes.Add(family);
        _bytes.Add(0);
        AppendUInt16(0);
        AppendInt32(index);
        AppendUInt16(state);
        _bytes.Add(flags);
        _bytes.Add(0);
        return this;
    }

    public NetlinkMessage UInt8(ushort type, byte value) => Attribute(type, [value]);

    /// <summary>A 16-bit attribute in network byte order (ports).</summary>
    public NetlinkMessage UInt16BigEndian(ushort type, ushort value) => Attribute(type, [(byte)(value >> 8), (byte)value]);

    /// <summary>struct rtmsg for a unicast route in the main table.</summary>
    public NetlinkMessage RtMsg(byte family, byte destinationLength)
    {
        _bytes.Add(family);
        _bytes.Add(destinationLength);
        _bytes.Add(0);
        _bytes.Add(0);
        _bytes.Add(NetlinkConstants.RT_TABLE_MAIN);
        _bytes.Add(NetlinkConstants.RTPROT_BOOT);
        _bytes.Add(0); // RT_SCOPE_UNIVERSE
        _bytes.Add(NetlinkConstants.RTN_UNICAST);
        AppendUInt32(0);
        return this;
    }

    public NetlinkMessage Attribute(ushort type, ReadOnlySpan<byte> value)
    {
        AppendUInt16((ushort)(4 + value.Length));
        AppendUInt16(type);
        foreach (var b in value) _bytes.Add(b);
        Pad();
        return this;
    }

    public NetlinkMessage String(ushort type, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value + "\0");
        return Attribute(type, bytes);
    }

    public NetlinkMessage UInt32(ushort type, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        return Attribute(type, b);
    }

    public NetlinkMessage UInt16(ushort type, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        return Attribute(type, b);
    }

    /// <summary>Opens a nested attribute; close it with <see cref="End"/>.</summary>
    public NetlinkMessage Begin(ushort type)
    {
        _nests.Push(_bytes.Count);
        AppendUInt16(0);
        AppendUInt16(type);
        return this;
    }

    public NetlinkMessage End()
    {
        var start = _nests.Pop();
        var length = (ushort)(_bytes.Count - start);
        _bytes[start] = (byte)(length & 0xff);
        _bytes[start + 1] = (byte)(length >> 8);
        return this;
    }

    public byte[] Build(uint sequence)
    {
        var array = _bytes.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(array, (uint)array.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(array.AsSpan(8), sequence);
        return array;
    }

    private void Pad()
    {
        while (_bytes.Count % 4 != 0) _bytes.Add(0);
    }

    private void AppendUInt16(ushort v) { _bytes.Add((byte)v); _bytes.Add((byte)(v >> 8)); }

    private void AppendUInt32(uint v)
    {
        for (var i = 0; i < 4; i++) _bytes.Add((byte)(v >> (8 * i)));
    }

    private void AppendInt32(int v) => AppendUInt32(unchecked((uint)v));
}
