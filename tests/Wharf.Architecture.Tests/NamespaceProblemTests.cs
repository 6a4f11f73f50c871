namespace Wharf.Architecture.Tests;

// Checks the namespace rule's detector on files written to a temp project, so a rule that can never fail
// is caught here rather than trusted.
public sealed class NamespaceProblemTests : IDisposable
{
    private readonly string _projectDirectory =
        Path.Combine(Path.GetTempPath(), "wharf-arch-" + Guid.NewGuid().ToString("N"), "Wharf.Sample");

    public NamespaceProblemTests() => Directory.CreateDirectory(Path.Combine(_projectDirectory, "Images", "Store"));

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_projectDirectory)!, recursive: true);

    [Theory]
    [InlineData("Images/Store/Blob.cs", "namespace Wharf.Sample.Images.Store;\ninternal sealed class Blob;", null)]
    [InlineData("Root.cs", "// namespace Wrong;\nnamespace Wharf.Sample;\ninternal sealed class Root;", null)]
    [InlineData("Attributes.cs", "using System.Runtime.CompilerServices;\n[assembly: InternalsVisibleTo(\"X\")]", null)]
    [InlineData("Images/Blob.cs", "namespace Wharf.Sample.Images { internal sealed class Blob { } }", "block-scoped")]
    [InlineData("Images/Blob.cs", "namespace Wharf.Sample;\ninternal sealed class Blob;", "expected Wharf.Sample.Images")]
    [InlineData("Images/Blob.cs", "internal sealed class Blob;", "no namespace declaration")]
    public void NamespaceProblem_SampleFile_ReportsExpectedProblem(string relativePath, string content, string? expectedProblem)
    {
        var file = Path.Combine(_projectDirectory, relativePath);
        File.WriteAllText(file, content);
        var project = new SourceProject("Wharf.Sample", _projectDirectory, "Microsoft.NET.Sdk", [], [], [], false);

        var problem = SourceRulesTests.NamespaceProblem(project, file);

        if (expectedProblem is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.NotNull(problem);
            Assert.Contains(expectedProblem, problem, StringComparison.Ordinal);
        }
    }
}
