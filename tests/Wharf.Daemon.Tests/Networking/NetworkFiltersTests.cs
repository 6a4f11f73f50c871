using Wharf.Core.Errors;
using Wharf.Daemon.Endpoints;
using Wharf.Engine.Containers.Filters;
using Wharf.Engine.Networks;

namespace Wharf.Daemon.Tests.Networking;

/// <summary>network ls / prune filters and the shared prune "until" parser, against records made here.</summary>
public sealed class NetworkFiltersTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly FixedTime Clock = new(Now);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static NetworkRecord Net(string name, string driver = "bridge", DateTimeOffset? created = null, int endpoints = 0,
        params (string Key, string Value)[] labels)
    {
        var record = new NetworkRecord
        {
            Id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name))),
            Name = name,
            Driver = driver,
            Created = created ?? Now,
        };
        foreach (var (k, v) in labels) record.Labels[k] = v;
        for (var i = 0; i < endpoints; i++) record.Endpoints["c" + i] = new EndpointRecord { ContainerId = "c" + i, EndpointId = "e" + i };
        return record;
    }

    private static readonly NetworkRecord[] Networks =
    [
        Net("bridge"), Net("host", "host"), Net("none", "null"),
        Net("front-app", labels: [("tier", "web"), ("team", "a")]),
        Net("back-app", endpoints: 1, labels: [("tier", "db")]),
        Net("vlan-app", "macvlan", labels: [("team", "b")]),
    ];

    private static string[] List(params (string Key, string Value)[] filters)
    {
        var matches = NetworkFilters.ForList(FilterSet.From(filters));
        return Networks.Where(matches).Select(n => n.Name).ToArray();
    }

    [Fact]
    public void ForList_EachFilter_DockerSemantics()
    {
        Assert.Equal(["vlan-app"], List(("driver", "macvlan")));
        Assert.Equal(["bridge", "host", "none"], List(("type", "builtin")));
        Assert.Equal(["front-app", "back-app", "vlan-app"], List(("type", "custom")));
        Assert.Equal(["front-app", "vlan-app"], List(("dangling", "true")));
        Assert.Equal(["bridge", "host", "none", "back-app"], List(("dangling", "0")));
        Assert.Equal(["front-app", "back-app", "vlan-app"], List(("name", "-app")));
        Assert.Equal(["front-app", "back-app"], List(("name", "^(front|back)")));
        Assert.Equal(["front-app"], List(("label", "tier=web")));
        Assert.Equal(["front-app", "vlan-app"], List(("label", "team")));
        Assert.Equal(["front-app"], List(("label", "team"), ("label", "tier")));
        Assert.Equal(6, List(("scope", "local")).Length);
        Assert.Empty(List(("scope", "swarm")));
        var id = Networks[4].Id;
        Assert.Equal(["back-app"], List(("id", id[..10])));
        Assert.Equal(["back-app"], List(("id", id[5..20])));
        Assert.Equal(["front-app"], List(("type", "custom"), ("dangling", "true"), ("label", "tier")));
    }

    [Theory]
    [InlineData("type", "user", "invalid filter: 'type'='user'")]
    [InlineData("dangling", "yes", "invalid value for filter 'dangling', must be \"true\" (or \"1\"), or \"false\" (or \"0\")")]
    [InlineData("colour", "red", "invalid filter 'colour'")]
    public void ForList_UnreadableFilter_InvalidArgument(string key, string value, string message)
    {
        var error = Assert.Throws<EngineException>(() => NetworkFilters.ForList(FilterSet.From((key, value))));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void ForList_TwoDanglingValues_Refused() =>
        Assert.Equal("got more than one value for filter key \"dangling\"",
            Assert.Throws<EngineException>(() => NetworkFilters.ForList(FilterSet.From(("dangling", "true"), ("dangling", "false")))).Message);

    [Theory]
    [InlineData("24h")]
    [InlineData("1440m")]
    [InlineData("2026-11-27T12:00:00Z")]
    [InlineData("2026-11-27T13:00:00+01:00")]
    [InlineData("1795780800")]
    [InlineData("1795780800.000000000")]
    public void ForPrune_UntilInEveryDockerForm_KeepsNewerNetworks(string until)
    {
        var old = Net("old", created: Now.AddDays(-2));
        var edge = Net("edge", created: Now.AddDays(-1));
        var young = Net("young", created: Now.AddHours(-1));
        var matches = NetworkFilters.ForPrune(FilterSet.From(("until", until)), Clock);
        Assert.True(matches(old));
        Assert.True(matches(edge)); // created exactly at until: Docker prunes it (only "after" is kept)
        Assert.False(matches(young));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("24x")]
    [InlineData("2026-13-45")]
    public void ForPrune_UnreadableUntil_400NotPruneEverything(string until)
    {
        var error = Assert.Throws<EngineException>(() => NetworkFilters.ForPrune(FilterSet.From(("until", until)), Clock));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal($"failed to parse value as time or duration: \"{until}\"", error.Message);
    }

    [Fact]
    public void ForPrune_TwoUntils_Refused() =>
        Assert.Equal("more than one until filter specified",
            Assert.Throws<EngineException>(() => NetworkFilters.ForPrune(FilterSet.From(("until", "1h"), ("until", "2h")), Clock)).Message);

    [Fact]
    public void ForPrune_LabelAndNotLabel()
    {
        var keep = Net("keep", labels: [("keep", "yes"), ("env", "ci")]);
        var drop = Net("drop", labels: [("env", "ci")]);
        var other = Net("other", labels: [("env", "prod")]);
        var notKeep = NetworkFilters.ForPrune(FilterSet.From(("label!", "keep")), Clock);
        Assert.Equal([false, true, true], new[] { keep, drop, other }.Select(n => notKeep(n)).ToArray());
        var ciNotKeep = NetworkFilters.ForPrune(FilterSet.From(("label", "env=ci"), ("label!", "keep=yes")), Clock);
        Assert.Equal([false, true, false], new[] { keep, drop, other }.Select(n => ciNotKeep(n)).ToArray());
        Assert.Equal("invalid filter 'dangling'",
            Assert.Throws<EngineException>(() => NetworkFilters.ForPrune(FilterSet.From(("dangling", "true")), Clock)).Message);
    }

    [Fact]
    public void PruneUntil_NoFilter_Null() => Assert.Null(PruneUntil.From(FilterSet.Empty, Clock));

    [Fact]
    public void ForList_Scope_MatchesEachNetworksOwnScope()
    {
        NetworkRecord[] networks = [Net("bridge"), Net("ov", "overlay")];
        string ScopeOf(NetworkRecord n) => n.Driver == "overlay" ? "global" : "local";

        string[] With(string scope) =>
            [.. networks.Where(NetworkFilters.ForList(FilterSet.From([("scope", scope)]), ScopeOf)).Select(n => n.Name)];

        Assert.Equal(["ov"], With("global"));
        Assert.Equal(["bridge"], With("local"));
        Assert.Empty(With("swarm"));
    }
}
