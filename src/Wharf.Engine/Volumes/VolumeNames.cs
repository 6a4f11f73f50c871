using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Wharf.Core.Errors;

namespace Wharf.Engine.Volumes;

/// <summary>Volume name rules of Docker's local driver, and anonymous names (64 hex digits like container ids).</summary>
public static partial class VolumeNames
{
    public const string AllowedPattern = "[a-zA-Z0-9][a-zA-Z0-9_.-]";

    /// <summary>A file name's limit (NAME_MAX): the volume is a directory of that name.</summary>
    public const int MaxLength = 255;

    // \z, not $: $ also matches before a final newline, which let "ab\n" through (and no command could remove it).
    [GeneratedRegex(@"\A[a-zA-Z0-9][a-zA-Z0-9_.-]+\z")]
    private static partial Regex ValidName();

    public static bool IsValid(string name) => name.Length <= MaxLength && ValidName().IsMatch(name);

    /// <summary>Any driver: names are directory names and CLI arguments, so no control characters and at most
    /// <see cref="MaxLength"/> characters. (The message does not echo a huge name back.)</summary>
    public static void ValidateAnyDriver(string name)
    {
        if (name.Length > MaxLength) throw EngineException.Invalid($"volume name is {name.Length} characters long; at most {MaxLength} are allowed");
        if (name.Any(char.IsControl)) throw EngineException.Invalid("volume name contains control characters");
    }

    /// <summary>Throws Docker's error for a name the local driver cannot hold.</summary>
    public static void Validate(string name)
    {
        ValidateAnyDriver(name);
        if (!IsValid(name))
            throw EngineException.Invalid($"create {name}: \"{name}\" includes invalid characters for a local volume name, only \"{AllowedPattern}\" are allowed. If you intended to pass a host directory, use absolute path");
    }

    public static string NewAnonymous() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
