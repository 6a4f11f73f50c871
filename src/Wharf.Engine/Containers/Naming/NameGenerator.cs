namespace Wharf.Engine.Containers.Naming;

/// <summary>Docker-style memorable names ("eager_hopper") for containers created without --name.</summary>
public sealed class NameGenerator
{
    private const int MaxAttempts = 64;

    private static readonly string[] s_adjectives =
    [
        "admiring", "agile", "amazing", "awesome", "bold", "brave", "bright", "busy", "calm", "clever",
        "cool", "crisp", "curious", "daring", "dazzling", "eager", "elated", "epic", "fervent", "fond",
        "friendly", "gallant", "gentle", "happy", "hopeful", "humble", "jolly", "keen", "kind", "lucid",
        "merry", "modest", "nifty", "noble", "optimistic", "patient", "peaceful", "quirky", "relaxed", "serene",
        "sharp", "silly", "stoic", "sweet", "tender", "upbeat", "vibrant", "wise", "witty", "zealous",
    ];

    private static readonly string[] s_surnames =
    [
        "agnesi", "babbage", "bohr", "boole", "cannon", "carson", "cerf", "curie", "darwin", "dijkstra",
        "einstein", "euler", "faraday", "fermi", "feynman", "franklin", "galileo", "gauss", "goodall", "hamilton",
        "hawking", "heisenberg", "hodgkin", "hopper", "hypatia", "johnson", "kepler", "knuth", "lamarr", "lovelace",
        "maxwell", "meitner", "mendel", "newton", "noether", "pascal", "pasteur", "planck", "ramanujan", "ritchie",
        "sammet", "shannon", "tesla", "thompson", "torvalds", "turing", "volta", "wilson", "wozniak", "yalow",
    ];

    private readonly Random _random;

    public NameGenerator(Random? random = null) => _random = random ?? Random.Shared;

    /// <summary>One candidate. From the first retry on a digit is appended, which makes repeated collisions
    /// (likely once thousands of containers exist) quickly improbable.</summary>
    public string Next(int retry = 0)
    {
        var name = s_adjectives[_random.Next(s_adjectives.Length)] + "_" + s_surnames[_random.Next(s_surnames.Length)];
        return retry > 0 ? name + _random.Next(10).ToString(System.Globalization.CultureInfo.InvariantCulture) : name;
    }

    /// <summary>A name for which <paramref name="isTaken"/> says false. Throws when the space seems exhausted.</summary>
    public string Generate(Func<string, bool> isTaken)
    {
        ArgumentNullException.ThrowIfNull(isTaken);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var candidate = Next(attempt);
            if (!isTaken(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("could not generate a unique container name");
    }
}
