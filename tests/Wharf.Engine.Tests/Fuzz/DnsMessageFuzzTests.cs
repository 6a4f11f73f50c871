using System.Buffers.Binary;
using System.Net;
using System.Text;
using Wharf.Engine.Networks;
using Wharf.TestKit;
using Wharf.TestKit.Fuzzing;
using Xunit;

namespace Wharf.Engine.Tests.Fuzz;

/// <summary>Mutated and random DNS queries (fixed seed, see <see cref="FuzzSettings"/>) through the embedded DNS server's
/// message parser, as any container on a served network can send them: an answer to that query (its id, the response
/// bit, as many answer records as it counts) or null (forward it upstream), never an exception, never a hang.</summary>
public sealed class DnsMessageFuzzTests : IDisposable
{
    private static readonly string[] Names = ["alpha", "WEB", "beta", "aaaaaaaaaaaa", "example.org", "a.b.c.d", "", "x", new string('l', 63)];
    private readonly TempDirectory _dir = new("wharf-dnsfuzz");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Answer_MutatedQueries_ResponseOrForwardNeverAnException()
    {
        using var service = new NetworkService(
            new NetworkOptions { DataRoot = _dir.Combine("d"), ExecRoot = _dir.Combine("e"), DefaultBridge = "wdnsfz0" },
            new RecordingNetlink(), new RecordingNamespaceOps(), null, null, TimeProvider.System);
        service.Initialize();
        service.Create(new("n1", "bridge", false, false, false, [new IpamPool { Subnet = "10.91.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
        service.Connect("n1", "a".PadRight(64, '0'), "alpha", "", new EndpointRequest { Aliases = ["web"] }, "/ns/a", true);
        service.Connect("n1", "b".PadRight(64, '0'), "beta", "", new EndpointRequest(), "/ns/b", true);
        var asker = IPAddress.Parse("10.91.0.3");
        Assert.NotNull(service.Dns.Answer(Query("alpha", 1), asker));

        var seed = FuzzSettings.Seed(53);
        var mutator = new FuzzMutator(seed);
        var corpus = Names.SelectMany(n => new[] { Query(n, 1), Query(n, 28), Query(n, 255) }).ToList();
        var rounds = FuzzSettings.Rounds(5000);
        for (var round = 0; round < rounds; round++)
        {
            var query = mutator.Random.Next(10) switch
            {
                0 => RandomBytes(mutator.Random),
                1 => LabelAbuse(mutator.Random),
                _ => mutator.Mutate(corpus[mutator.Random.Next(corpus.Count)], corpus),
            };
            var where = $"seed {seed} round {round}: {Convert.ToHexString(query.AsSpan(0, Math.Min(query.Length, 256)))}";
            FuzzSettings.WithinTimeBound(() =>
            {
                byte[]? answer;
                try
                {
                    answer = service.Dns.Answer(query, mutator.Random.Next(4) == 0 ? IPAddress.Parse("10.91.0.200") : asker);
                }
                catch (Exception e)
                {
                    Assert.Fail($"{where}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                    return;
                }
                if (answer is null) return;
                Assert.True(answer.Length >= 12, where);
                Assert.True(answer[0] == query[0] && answer[1] == query[1], $"{where}: the answer has another id");
                Assert.True((answer[2] & 0x80) != 0, $"{where}: the answer is not marked a response");
                Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(4)));
            }, () => where);
        }
    }

    private static byte[] Query(string name, ushort type)
    {
        var q = new List<byte> { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            q.Add((byte)label.Length);
            q.AddRange(Encoding.ASCII.GetBytes(label));
        }
        q.AddRange([0, (byte)(type >> 8), (byte)type, 0, 1]);
        return [.. q];
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 600)];
        random.NextBytes(bytes);
        if (bytes.Length >= 6 && random.Next(2) == 0) bytes[4] = 0; // QDCOUNT 1 more often than not: into the parser
        if (bytes.Length >= 6) bytes[5] = 1;
        return bytes;
    }

    /// <summary>A header and then labels whose declared lengths lie: past the end, compression pointers, 255 labels.</summary>
    private static byte[] LabelAbuse(Random random)
    {
        var q = new List<byte> { 0xAB, 0xCD, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        for (var labels = random.Next(1, 255); labels > 0 && q.Count < 4000; labels--)
        {
            var length = random.Next(5) == 0 ? random.Next(256) : random.Next(1, 64);
            q.Add((byte)length);
            for (var i = 0; i < Math.Min(length, 63) && random.Next(50) != 0; i++) q.Add((byte)random.Next(256));
        }
        if (random.Next(2) == 0) q.AddRange([0, 0, 1, 0, 1]);
        return [.. q];
    }
}
