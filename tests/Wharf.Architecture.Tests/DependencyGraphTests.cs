namespace Wharf.Architecture.Tests;

/// <summary>ARCHITECTURE.md §2: the assembly graph is one-way, and ASP.NET Core stays in the hosts.</summary>
public sealed class DependencyGraphTests
{
    public static TheoryData<string> SourceProjectNames()
    {
        var data = new TheoryData<string>();
        foreach (var project in RepositoryLayout.SourceProjects())
        {
            data.Add(project.Name);
        }

        return data;
    }

    [Fact]
    public void SourceProjects_CoreAssemblies_ArePresent()
    {
        var names = RepositoryLayout.SourceProjects().Select(p => p.Name).ToList();

        // Guards against the tests passing vacuously because the tree was not found.
        Assert.Contains(DependencyRules.Core, names);
        Assert.Contains(DependencyRules.Linux, names);
        Assert.Contains(DependencyRules.Engine, names);
        Assert.Contains(DependencyRules.Daemon, names);
    }

    [Theory]
    [MemberData(nameof(SourceProjectNames))]
    public void ProjectReferences_EverySourceProject_FollowTheDependencyGraph(string projectName)
    {
        var project = Load(projectName);
        Assert.True(
            DependencyRules.AllowedReferences.TryGetValue(project.Name, out var allowed),
            $"{project.Name} is not in the dependency graph; add it to ARCHITECTURE.md §2 and DependencyRules.");

        if (allowed is null)
        {
            return;
        }

        var forbidden = project.ProjectReferences.Where(reference => !allowed.Contains(reference)).ToList();
        Assert.True(
            forbidden.Count == 0,
            $"{project.Name} must not reference {string.Join(", ", forbidden)} " +
            $"(allowed: {(allowed.Count == 0 ? "nothing of ours" : string.Join(", ", allowed))}).");
    }

    [Theory]
    [MemberData(nameof(SourceProjectNames))]
    public void AspNetCore_OutsideTheHosts_IsNotReferenced(string projectName)
    {
        var project = Load(projectName);
        if (DependencyRules.MayUseAspNetCore.Contains(project.Name))
        {
            return;
        }

        Assert.False(
            project.Sdk.Contains("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase),
            $"{project.Name} uses the Web SDK; only {string.Join(", ", DependencyRules.MayUseAspNetCore)} may host ASP.NET Core.");
        Assert.DoesNotContain(project.FrameworkReferences, DependencyRules.IsAspNetCorePackage);
        Assert.DoesNotContain(project.PackageReferences, DependencyRules.IsAspNetCorePackage);
    }

    [Theory]
    [MemberData(nameof(SourceProjectNames))]
    public void Grpc_OutsideTheClusterStore_IsNotReferenced(string projectName)
    {
        // ARCHITECTURE.md §11: etcd's gRPC client stays in Wharf.Cluster; the engine sees only IClusterStore.
        var project = Load(projectName);
        if (DependencyRules.MayUseGrpc.Contains(project.Name))
        {
            return;
        }

        Assert.DoesNotContain(project.PackageReferences, DependencyRules.IsGrpcPackage);
    }

    [Fact]
    public void ProjectReferences_Engine_DoesNotReachTheClusterStore()
    {
        Assert.DoesNotContain(DependencyRules.Cluster, Load(DependencyRules.Engine).ProjectReferences);
        Assert.Contains(DependencyRules.Core, Load(DependencyRules.Cluster).ProjectReferences);
    }

    [Fact]
    public void PackageReferences_Core_HasNone()
    {
        // Core is the shared vocabulary every binary (including the NativeAOT ones) carries.
        var core = Load(DependencyRules.Core);

        Assert.Empty(core.PackageReferences);
        Assert.Empty(core.FrameworkReferences);
    }

    [Fact]
    public void RuleTable_ReferencesItself_OnlyKnownAssemblies()
    {
        // A typo in the rule table would silently allow or forbid the wrong edge.
        var known = DependencyRules.AllowedReferences.Keys.ToHashSet(StringComparer.Ordinal);
        var targets = DependencyRules.AllowedReferences.Values.OfType<IReadOnlySet<string>>().SelectMany(s => s);

        Assert.All(targets, target => Assert.Contains(target, known));
    }

    private static SourceProject Load(string projectName) =>
        RepositoryLayout.SourceProjects().Single(p => p.Name == projectName);
}
