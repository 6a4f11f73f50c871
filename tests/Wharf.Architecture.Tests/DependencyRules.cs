namespace Wharf.Architecture.Tests;

/// <summary>The one-way graph of ARCHITECTURE.md §2, as data: which of our assemblies each assembly may
/// reference, and which may host ASP.NET Core. A new src project fails the tests until it is added here,
/// so the graph is decided on purpose rather than by accident.</summary>
internal static class DependencyRules
{
    public const string Core = "Wharf.Core";
    public const string Linux = "Wharf.Linux";
    public const string Engine = "Wharf.Engine";
    public const string Api = "Wharf.Api";
    public const string Daemon = "Wharf.Daemon";
    public const string Shim = "Wharf.Shim";
    public const string Cli = "Wharf.Cli";
    public const string Registry = "Wharf.Registry";
    /// <summary>wharf-volume-loop: a standalone volume plugin (its own small web server on a unix socket).</summary>
    public const string VolumeLoop = "Wharf.VolumeLoop";
    /// <summary>The cluster store (etcd over gRPC) behind Core's IClusterStore; only the daemon composes it.</summary>
    public const string Cluster = "Wharf.Cluster";
    /// <summary>Compose: loader, planner and executor; talks to an engine only through the API client.</summary>
    public const string Compose = "Wharf.Compose";

    /// <summary>Allowed ProjectReference targets; null means "any" (the composition root).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>?> AllowedReferences =
        new Dictionary<string, IReadOnlySet<string>?>(StringComparer.Ordinal)
        {
            [Core] = new HashSet<string>(),
            [Linux] = new HashSet<string> { Core },
            [Engine] = new HashSet<string> { Core },
            [Api] = new HashSet<string>(),
            [Daemon] = null,
            [Shim] = new HashSet<string> { Linux, Core },
            [Cli] = new HashSet<string> { Api, Compose },
            [Registry] = new HashSet<string> { Core },
            [VolumeLoop] = new HashSet<string> { Linux, Core },
            [Cluster] = new HashSet<string> { Core },
            [Compose] = new HashSet<string> { Api, Core },
        };

    /// <summary>Only these host web servers; everything else stays usable from a NativeAOT binary or a test.</summary>
    public static readonly IReadOnlySet<string> MayUseAspNetCore = new HashSet<string>(StringComparer.Ordinal)
    {
        Daemon,
        Registry,
        VolumeLoop,
    };

    /// <summary>The only assembly allowed P/Invoke and unsafe code.</summary>
    public const string InteropAssembly = Linux;

    /// <summary>Only these may carry gRPC (etcd's client): the engine reaches the cluster through IClusterStore.</summary>
    public static readonly IReadOnlySet<string> MayUseGrpc = new HashSet<string>(StringComparer.Ordinal) { Cluster };

    public static bool IsGrpcPackage(string packageId) =>
        packageId.StartsWith("Grpc.", StringComparison.OrdinalIgnoreCase) ||
        packageId.StartsWith("Google.Protobuf", StringComparison.OrdinalIgnoreCase) ||
        packageId.Equals("dotnet-etcd", StringComparison.OrdinalIgnoreCase);

    public static bool IsAspNetCorePackage(string packageId) =>
        packageId.StartsWith("Microsoft.AspNetCore", StringComparison.OrdinalIgnoreCase);
}
