using System.Text;

namespace Wharf.TestKit;

/// <summary>DNS wire-format queries for tests that talk to the embedded server or a fake resolver.</summary>
public static class DnsQueries
{
    /// <summary>A recursive query for the A record of <paramref name="name"/> with id <paramref name="id"/>.</summary>
    public static byte[] A(string name, ushort id)
    {
        var q = new List<byte> { (byte)(id >> 8), (byte)id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.Split('.'))
        {
            q.Add((byte)label.Length);
            q.AddRange(Encoding.ASCII.GetBytes(label));
        }
        q.AddRange([0, 0, 1, 0, 1]);
        return [.. q];
    }
}
