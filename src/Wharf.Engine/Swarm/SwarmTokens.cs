using System.Security.Cryptography;

namespace Wharf.Engine.Swarm;

/// <summary>Identifiers and join tokens in swarmkit's shapes: ids are 25 base-36 characters; a join token is
/// "SWMTKN-1-" + 50 characters standing for the root CA's digest + "-" + 25 random ones.</summary>
internal static class SwarmTokens
{
    private const string Base36 = "0123456789abcdefghijklmnopqrstuvwxyz";

    public static string NewId() => Random(25);

    /// <summary>Both tokens of one swarm share the CA part (as swarmkit's do); only the secret differs.</summary>
    public static string NewToken(string caPart) => $"SWMTKN-1-{caPart}-{Random(25)}";

    public static string CaPartOf(string token) => token.Split('-') is { Length: 4 } parts ? parts[2] : Random(50);

    public static string NewCaPart() => Random(50);

    private static string Random(int length) => RandomNumberGenerator.GetString(Base36, length);
}
