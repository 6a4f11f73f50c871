namespace Wharf.EndToEnd.Tests.Crash;

/// <summary>What a daemon left that belongs to no running container, per kind (issue 17's crash harness).</summary>
public sealed record OrphanCounts(int Shims, int NetnsMounts, int Veths, int Endpoints, int Cgroups, int RootfsMounts, int WrongStates)
{
    public int Total => Shims + NetnsMounts + Veths + Endpoints + Cgroups + RootfsMounts + WrongStates;

    public OrphanCounts Add(OrphanCounts other) => new(Shims + other.Shims, NetnsMounts + other.NetnsMounts, Veths + other.Veths,
        Endpoints + other.Endpoints, Cgroups + other.Cgroups, RootfsMounts + other.RootfsMounts, WrongStates + other.WrongStates);

    public override string ToString() =>
        $"shims={Shims} netns-mounts={NetnsMounts} veths={Veths} endpoints={Endpoints} cgroups={Cgroups} rootfs-mounts={RootfsMounts} wrong-states={WrongStates}";
}
