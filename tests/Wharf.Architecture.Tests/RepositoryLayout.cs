namespace Wharf.Architecture.Tests;

/// <summary>Finds the checkout these tests judge: the folder holding Wharf.sln, found by walking up
/// from the test binaries, so the tests read the sources as they are now rather than anything copied.</summary>
internal static class RepositoryLayout
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string SourceDirectory => Path.Combine(Root, "src");

    /// <summary>Every src/*/*.csproj, loaded.</summary>
    public static IReadOnlyList<SourceProject> SourceProjects() =>
        Directory.EnumerateDirectories(SourceDirectory)
            .SelectMany(dir => Directory.EnumerateFiles(dir, "*.csproj"))
            .Order(StringComparer.Ordinal)
            .Select(SourceProject.Load)
            .ToList();

    /// <summary>Every hand-written .cs file of a project (build output under bin/ and obj/ excluded).</summary>
    public static IEnumerable<string> SourceFiles(string projectDirectory) =>
        Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(projectDirectory, path))
            .Order(StringComparer.Ordinal);

    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    private static bool IsBuildOutput(string projectDirectory, string path)
    {
        var firstSegment = Path.GetRelativePath(projectDirectory, path).Split('/', '\\')[0];
        return firstSegment is "bin" or "obj";
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Wharf.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No Wharf.sln above {AppContext.BaseDirectory}; the architecture tests must run from inside the checkout.");
    }
}
