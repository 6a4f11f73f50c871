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

    /// <summary>Throws Docker's error for a name the local driver cannot hold. Control characters get Docker's wording
    /// too ("x\n" does not match the pattern), the name quoted as Go's %q quotes it so the message stays one line.</summary>
    public static void Validate(string name)
    {
        if (name.Length > MaxLength) throw EngineException.Invalid($"volume name is {name.Length} characters long; at most {MaxLength} are allowed");
        if (!IsValid(name))
        {
            var quoted = GoQuote(name);
            throw EngineException.Invalid($"create {quoted[1..^1]}: {quoted} includes invalid characters for a local volume name, only \"{AllowedPattern}\" are allowed. If you intended to pass a host directory, use absolute path");
        }
    }

    /// <summary>Go's %q: double quotes, with quotes, backslashes and control characters escaped.</summary>
    internal static string GoQuote(string text)
    {
        var quoted = new System.Text.StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\a' => "\\a",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\v' => "\\v",
                _ when c < 0x20 || c == 0x7f => $"\\x{(int)c:x2}",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }

    public static string NewAnonymous() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
