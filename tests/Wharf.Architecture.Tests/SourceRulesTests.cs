using System.Text.RegularExpressions;

namespace Wharf.Architecture.Tests;

/// <summary>Rules read from the .cs files themselves: interop stays in Wharf.Linux, ASP.NET Core stays in
/// the hosts, and every file has a file-scoped namespace equal to assembly + folder.</summary>
public sealed partial class SourceRulesTests
{
    [Fact]
    public void Interop_OutsideWharfLinux_IsAbsent()
    {
        var violations = new List<string>();
        foreach (var project in RepositoryLayout.SourceProjects().Where(p => p.Name != DependencyRules.InteropAssembly))
        {
            if (project.AllowsUnsafeBlocks)
            {
                violations.Add($"{project.Name}.csproj sets AllowUnsafeBlocks");
            }

            violations.AddRange(FindInCode(project, InteropPattern()));
        }

        Assert.True(violations.Count == 0,
            "P/Invoke and unsafe code belong in Wharf.Linux only:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void AspNetCore_OutsideTheHosts_IsNotUsedInSource()
    {
        var violations = RepositoryLayout.SourceProjects()
            .Where(p => !DependencyRules.MayUseAspNetCore.Contains(p.Name))
            .SelectMany(p => FindInCode(p, AspNetCorePattern()))
            .ToList();

        Assert.True(violations.Count == 0,
            "Microsoft.AspNetCore is for Wharf.Daemon/Wharf.Registry only:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Namespaces_EverySourceFile_AreFileScopedAndMatchTheFolder()
    {
        var violations = new List<string>();
        foreach (var project in RepositoryLayout.SourceProjects())
        {
            foreach (var file in RepositoryLayout.SourceFiles(project.Directory))
            {
                var problem = NamespaceProblem(project, file);
                if (problem is not null)
                {
                    violations.Add($"{RepositoryLayout.Relative(file)}: {problem}");
                }
            }
        }

        Assert.True(violations.Count == 0, "Namespace convention (assembly + folder, file-scoped):\n" +
                                           string.Join("\n", violations));
    }

    [Fact]
    public void Interop_PatternOnSampleCode_FindsEachForm()
    {
        // The rule above is only meaningful if the pattern catches what it is meant to catch.
        Assert.Matches(InteropPattern(), "[LibraryImport(\"libc\")]");
        Assert.Matches(InteropPattern(), "[DllImport(\"libc\")]");
        Assert.Matches(InteropPattern(), "static unsafe void F() { }");
        Assert.Matches(InteropPattern(), "unsafe { p++; }");
        Assert.DoesNotMatch(InteropPattern(), "var isUnsafeName = unsafeFlag;");
    }

    internal static string? NamespaceProblem(SourceProject project, string file)
    {
        var code = CSharpCode.StripCommentsAndLiterals(File.ReadAllText(file));
        var declarations = NamespacePattern().Matches(code);
        var folder = Path.GetRelativePath(project.Directory, Path.GetDirectoryName(file)!);
        var expected = folder == "."
            ? project.Name
            : project.Name + "." + folder.Replace('/', '.').Replace('\\', '.');

        if (declarations.Count == 0)
        {
            // Top-level statements cannot sit in a namespace; files of only usings/assembly attributes need none.
            return Path.GetFileName(file) == "Program.cs" || OnlyUsingsAndAssemblyAttributes(code)
                ? null
                : $"no namespace declaration (expected `namespace {expected};`)";
        }

        if (declarations.Count > 1)
        {
            return "more than one namespace declaration";
        }

        var declaration = declarations[0];
        if (declaration.Groups["terminator"].Value != ";")
        {
            return $"block-scoped namespace; use `namespace {expected};`";
        }

        var actual = declaration.Groups["name"].Value;
        return actual == expected ? null : $"namespace {actual}; expected {expected}";
    }

    private static bool OnlyUsingsAndAssemblyAttributes(string code) =>
        code.Split('\n')
            .Select(line => line.Trim())
            .All(line => line.Length == 0
                         || line.StartsWith("using ", StringComparison.Ordinal)
                         || line.StartsWith("global using ", StringComparison.Ordinal)
                         || line.StartsWith("[assembly:", StringComparison.Ordinal));

    private static IEnumerable<string> FindInCode(SourceProject project, Regex pattern)
    {
        foreach (var file in RepositoryLayout.SourceFiles(project.Directory))
        {
            var lines = CSharpCode.StripCommentsAndLiterals(File.ReadAllText(file)).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var match = pattern.Match(lines[i]);
                if (match.Success)
                {
                    yield return $"{RepositoryLayout.Relative(file)}:{i + 1}: {match.Value}";
                }
            }
        }
    }

    [GeneratedRegex(@"\b(LibraryImport|DllImport|unsafe)\b")]
    private static partial Regex InteropPattern();

    [GeneratedRegex(@"\bMicrosoft\.AspNetCore\b")]
    private static partial Regex AspNetCorePattern();

    [GeneratedRegex(@"^\s*namespace\s+(?<name>[\w.]+)\s*(?<terminator>[;{])", RegexOptions.Multiline)]
    private static partial Regex NamespacePattern();
}
