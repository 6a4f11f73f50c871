using System.Text.RegularExpressions;
using Wharf.Core.Errors;

namespace Wharf.Engine.Containers.Naming;

/// <summary>Validation of user-chosen container names, with Docker's rule and wording.</summary>
public static partial class ContainerNames
{
    /// <summary>Returns the name without its optional leading '/', or throws InvalidArgument worded like Docker.</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!ValidName().IsMatch(name))
        {
            throw EngineException.Invalid(
                $"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }

        return name.StartsWith('/') ? name[1..] : name;
    }

    public static bool IsValid(string name) => name is not null && ValidName().IsMatch(name);

    // Same character classes Docker uses; note it requires at least two characters.
    [GeneratedRegex("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();
}
