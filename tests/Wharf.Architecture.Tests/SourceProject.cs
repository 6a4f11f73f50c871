using System.Xml.Linq;

namespace Wharf.Architecture.Tests;

/// <summary>What one src/*.csproj declares that matters for the dependency graph.</summary>
internal sealed record SourceProject(
    string Name,
    string Directory,
    string Sdk,
    IReadOnlyList<string> ProjectReferences,
    IReadOnlyList<string> PackageReferences,
    IReadOnlyList<string> FrameworkReferences,
    bool AllowsUnsafeBlocks)
{
    public static SourceProject Load(string csprojPath)
    {
        var document = XDocument.Load(csprojPath);
        var root = document.Root ?? throw new InvalidOperationException($"{csprojPath} is empty");

        return new SourceProject(
            Name: Path.GetFileNameWithoutExtension(csprojPath),
            Directory: Path.GetDirectoryName(csprojPath)!,
            Sdk: (string?)root.Attribute("Sdk") ?? "",
            ProjectReferences: Includes(root, "ProjectReference")
                .Select(include => Path.GetFileNameWithoutExtension(include.Replace('\\', '/')))
                .ToList(),
            PackageReferences: Includes(root, "PackageReference").ToList(),
            FrameworkReferences: Includes(root, "FrameworkReference").ToList(),
            AllowsUnsafeBlocks: root.Descendants()
                .Any(e => e.Name.LocalName == "AllowUnsafeBlocks"
                          && string.Equals(e.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase)));
    }

    public override string ToString() => Name;

    // MSBuild item names are case-insensitive; csproj files written by hand vary.
    private static IEnumerable<string> Includes(XElement root, string itemName) =>
        root.Descendants()
            .Where(e => string.Equals(e.Name.LocalName, itemName, StringComparison.OrdinalIgnoreCase))
            .Select(e => (string?)e.Attribute("Include"))
            .OfType<string>();
}
