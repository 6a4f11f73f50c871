using Xunit;

namespace Wharf.Shim.Tests;

/// <summary>Tests that start real processes: the reaper takes every child of the test process, so they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealProcessesCollection
{
    public const string Name = "real processes";
}
