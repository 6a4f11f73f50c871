using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Wharf.Core.Errors;

namespace Wharf.Engine.Volumes;

/// <summary>Volume name rules of Docker's local driver, and anonymous names (64 hex digits like container ids).</summary>
public static partial class VolumeNames
{
    public const string AllowedPattern = "[a-zA-Z0-9][a-zA-Z0-9_.-]";

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex ValidName();

    public static bool IsValid(string name) => ValidName().IsMatch(name);

    /// <summary>Throws Docker's error for a name the local driver cannot hold.</summary>
    public static void Validate(string name)
    {
        if (!IsValid(name))
            throw EngineException.Invalid($"create {name}: \"{name}\" includes invalid characters for a local volume name, only \"{AllowedPattern}\" are allowed. If you intended to pass a host directory, use absolute path");
    }

    public static string NewAnonymous() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
