using System.Text;

namespace Wharf.Compose.Loading;

/// <summary>Compose project names: lowercase letters, digits, '_' and '-', starting with a letter or digit.</summary>
public static class ProjectName
{
    public static bool IsValid(string name) =>
        name.Length > 0 && char.IsAsciiLetterLower(name[0]) | char.IsAsciiDigit(name[0])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-');

    /// <summary>A directory name made into a project name: lowercased, other characters dropped.</summary>
    public static string Normalise(string name)
    {
        var text = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || (text.Length > 0 && c is '_' or '-'))
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    public static string Validate(string name, string from) =>
        IsValid(name)
            ? name
            : throw new ComposeException($"invalid project name \"{name}\" ({from}): must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number");
}
