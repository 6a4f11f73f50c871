using System.Text;

namespace Wharf.TestKit.Fuzzing;

/// <summary>Mutates valid inputs into hostile ones, deterministically from its seed: bit flips, random bytes,
/// truncation, splicing with another seed input, huge and odd numbers, deep nesting, invalid UTF-8, and tokens of
/// the input's own grammar. A mutant keeps most of its seed, so it gets past the first checks of a parser.</summary>
public sealed class FuzzMutator(int seed, IReadOnlyList<string>? tokens = null)
{
    private static readonly string[] Numbers =
    [
        "0", "-1", "2147483647", "2147483648", "-2147483649", "4294967296", "9223372036854775807", "9223372036854775808",
        "18446744073709551616", "1e308", "1e400", "-1e400", "0.5", "1.0", "-0", "NaN", "99999999999999999999999999999999",
    ];

    private static readonly byte[][] BadUtf8 =
    [
        [0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0x00], [0xEF, 0xBB, 0xBF],
    ];

    private readonly IReadOnlyList<string> _tokens = tokens ?? [];

    public Random Random { get; } = new(seed);

    /// <summary>One to four mutations of <paramref name="input"/>; <paramref name="others"/> are spliced from.</summary>
    public byte[] Mutate(byte[] input, IReadOnlyList<byte[]> others)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(others);
        var bytes = new List<byte>(input);
        for (var edits = Random.Next(1, 5); edits > 0; edits--) MutateOnce(bytes, others);
        return [.. bytes];
    }

    public string Mutate(string input, IReadOnlyList<string> others) =>
        Encoding.UTF8.GetString(Mutate(Encoding.UTF8.GetBytes(input), others.Select(Encoding.UTF8.GetBytes).ToList()));

    /// <summary>An opening run <paramref name="open"/> repeated thousands of times, optionally closed: what blows a
    /// recursive parser's stack.</summary>
    public string Nesting(string open, string close)
    {
        var depth = Random.Next(2) == 0 ? Random.Next(60, 200) : Random.Next(5_000, 20_000);
        var text = new StringBuilder(depth * (open.Length + close.Length));
        for (var i = 0; i < depth; i++) text.Append(open);
        if (Random.Next(2) == 0)
            for (var i = 0; i < depth; i++) text.Append(close);
        return text.ToString();
    }

    public string Pick(IReadOnlyList<string> choices) => choices[Random.Next(choices.Count)];

    private void MutateOnce(List<byte> bytes, IReadOnlyList<byte[]> others)
    {
        var at = bytes.Count == 0 ? 0 : Random.Next(bytes.Count + 1);
        switch (Random.Next(10))
        {
            case 0 when bytes.Count > 0:
                var flip = Random.Next(bytes.Count);
                bytes[flip] ^= (byte)(1 << Random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes[Random.Next(bytes.Count)] = (byte)Random.Next(256);
                break;
            case 2:
                bytes.RemoveRange(at, bytes.Count - at); // truncation
                break;
            case 3 when bytes.Count > 0:
                bytes.RemoveRange(Math.Min(at, bytes.Count - 1), Math.Min(Random.Next(1, 32), bytes.Count - Math.Min(at, bytes.Count - 1)));
                break;
            case 4 when others.Count > 0:
                var other = others[Random.Next(others.Count)];
                if (other.Length == 0) break;
                var from = Random.Next(other.Length);
                bytes.InsertRange(at, other.Skip(from).Take(Random.Next(1, other.Length - from + 1)));
                break;
            case 5:
                bytes.InsertRange(at, Encoding.ASCII.GetBytes(Numbers[Random.Next(Numbers.Length)]));
                break;
            case 6:
                bytes.InsertRange(at, BadUtf8[Random.Next(BadUtf8.Length)]);
                break;
            case 7 when _tokens.Count > 0:
                bytes.InsertRange(at, Encoding.UTF8.GetBytes(_tokens[Random.Next(_tokens.Count)]));
                break;
            case 8 when bytes.Count > 0:
                // Duplicate a stretch in place: repeated members, repeated records.
                var start = Random.Next(bytes.Count);
                var stretch = bytes.GetRange(start, Math.Min(Random.Next(1, 64), bytes.Count - start));
                bytes.InsertRange(start, stretch);
                break;
            default:
                var (open, close) = Random.Next(3) switch { 0 => ("[", "]"), 1 => ("{\"a\":", "}"), _ => ("(", ")") };
                bytes.InsertRange(at, Encoding.UTF8.GetBytes(Nesting(open, close)));
                break;
        }
    }
}
