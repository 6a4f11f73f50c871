using Wharf.Core.Errors;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Filters;
using Wharf.Engine.Containers.Store;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

public sealed class FilterTests
{
    private static readonly DateTimeOffset s_t0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly ContainerSnapshot s_web = Container("aaaa1111", "web", "running", minutes: 0, labels: new() { ["app"] = "web", ["tier"] = "front" });
    private static readonly ContainerSnapshot s_db = Container("bbbb2222", "db", "exited", minutes: 1, exitCode: 3, labels: new() { ["app"] = "db" });
    private static readonly ContainerSnapshot s_job = Container("cccc3333", "webjob", "exited", minutes: 2, exitCode: 0, image: "sha256:other");
    private static readonly ContainerSnapshot[] s_all = [s_web, s_db, s_job];

    private static ContainerSnapshot Container(
        string idPrefix, string name, string status, int minutes, int exitCode = 0,
        Dictionary<string, string>? labels = null, string image = "sha256:busybox")
    {
        var c = new ContainerRecord
        {
            Id = idPrefix + new string('0', 56),
            Name = name,
            ImageId = image,
            Created = s_t0.AddMinutes(minutes),
        };
        c.State.Status = status;
        c.State.ExitCode = exitCode;
        c.Config.Labels = labels ?? [];
        c.Config.ExposedPorts = name == "web" ? ["80/tcp"] : [];
        return ContainerSnapshot.Of(c);
    }

    private static string[] Run(string json)
    {
        var filter = new ContainerFilter(
            FilterSet.Parse(json),
            reference => reference is "busybox" or "busybox:latest" ? "sha256:busybox" : null,
            reference => s_all.FirstOrDefault(c => c.Name == reference || c.Id.StartsWith(reference, StringComparison.Ordinal)));
        return [.. s_all.Where(filter.Matches).Select(c => c.Name)];
    }

    [Fact]
    public void Parse_MapAndLegacyShapes_GiveSameValues()
    {
        var map = FilterSet.Parse("""{"label":{"a=1":true,"b":true},"status":{"running":true}}""");
        var legacy = FilterSet.Parse("""{"label":["a=1","b"],"status":["running"]}""");

        Assert.Equal(["a=1", "b"], map.Get("label"));
        Assert.Equal(map.Get("label"), legacy.Get("label"));
        Assert.Equal(map.Get("status"), legacy.Get("status"));
        Assert.True(FilterSet.Parse("").IsEmpty);
        Assert.True(FilterSet.Parse(null).IsEmpty);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"label":"x"}""")]
    [InlineData("""{"label":[1]}""")]
    public void Parse_Malformed_ThrowsInvalidFilter(string json)
    {
        var e = Assert.Throws<EngineException>(() => FilterSet.Parse(json));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.StartsWith("invalid filter", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ContainerFilter_UnknownKey_ThrowsInvalidFilterKey()
    {
        var e = Assert.Throws<EngineException>(() => Run("""{"colour":["red"]}"""));
        Assert.Equal("invalid filter 'colour'", e.Message);
    }

    [Fact]
    public void ContainerFilter_BadStatus_ThrowsInvalidFilterStatus()
    {
        var e = Assert.Throws<EngineException>(() => Run("""{"status":["sleeping"]}"""));
        Assert.Equal("invalid filter 'status=sleeping'", e.Message);
    }

    [Fact]
    public void ContainerFilter_Empty_MatchesAll()
    {
        Assert.Equal(["web", "db", "webjob"], Run(""));
    }

    [Fact]
    public void ContainerFilter_Status_OrWithinKey()
    {
        Assert.Equal(["db", "webjob"], Run("""{"status":["exited"]}"""));
        Assert.Equal(["web", "db", "webjob"], Run("""{"status":["exited","running"]}"""));
    }

    [Fact]
    public void ContainerFilter_Name_RegexWithOrWithoutSlash()
    {
        Assert.Equal(["web", "webjob"], Run("""{"name":["web"]}"""));
        Assert.Equal(["web"], Run("""{"name":["^web$"]}"""));
        Assert.Equal(["web"], Run("""{"name":["^/web$"]}"""));
        Assert.Equal(["db"], Run("""{"name":["d[b]"]}"""));
    }

    [Fact]
    public void ContainerFilter_Id_Prefix()
    {
        Assert.Equal(["db"], Run("""{"id":["bbbb"]}"""));
        Assert.Empty(Run("""{"id":["2222"]}"""));
    }

    [Fact]
    public void ContainerFilter_Label_KeyOrKeyValueAllMustMatch()
    {
        Assert.Equal(["web", "db"], Run("""{"label":["app"]}"""));
        Assert.Equal(["db"], Run("""{"label":["app=db"]}"""));
        Assert.Equal(["web"], Run("""{"label":["app=web","tier"]}"""));
        Assert.Empty(Run("""{"label":["app=db","tier"]}"""));
    }

    [Fact]
    public void ContainerFilter_Ancestor_ResolvesImageToId()
    {
        Assert.Equal(["web", "db"], Run("""{"ancestor":["busybox"]}"""));
        Assert.Empty(Run("""{"ancestor":["unknown"]}"""));
    }

    [Fact]
    public void ContainerFilter_Exited_OnlyExitedWithCode()
    {
        Assert.Equal(["webjob"], Run("""{"exited":["0"]}"""));
        Assert.Equal(["db"], Run("""{"exited":["3"]}"""));
        var e = Assert.Throws<EngineException>(() => Run("""{"exited":["x"]}"""));
        Assert.Equal("invalid filter 'exited=x'", e.Message);
    }

    [Fact]
    public void ContainerFilter_BeforeAndSince_UseCreationOrder()
    {
        Assert.Equal(["web"], Run("""{"before":["db"]}"""));
        Assert.Equal(["webjob"], Run("""{"since":["db"]}"""));
        Assert.Equal(["db"], Run("""{"since":["aaaa1111"],"before":["webjob"]}"""));
        var e = Assert.Throws<EngineException>(() => Run("""{"before":["ghost"]}"""));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public void ContainerFilter_KeysCombine_WithAnd()
    {
        Assert.Equal(["webjob"], Run("""{"name":["web"],"status":["exited"]}"""));
        Assert.Equal(["web"], Run("""{"expose":["80"]}"""));
    }

    private static EventFilterSubject Event(string type, string action, string id, params (string Key, string Value)[] attributes) =>
        new(type, action, id, attributes.ToDictionary(a => a.Key, a => a.Value));

    private static readonly EventFilterSubject s_containerStart =
        Event("container", "start", "aaaa1111", ("name", "web"), ("image", "busybox"), ("app", "web"));

    private static readonly EventFilterSubject s_execStart =
        Event("container", "exec_start: sh -c true", "aaaa1111", ("name", "web"), ("image", "busybox:latest"));

    private static readonly EventFilterSubject s_imagePull =
        Event("image", "pull", "busybox:latest", ("name", "busybox"));

    private static bool Matches(string json, EventFilterSubject e) => new EventFilter(FilterSet.Parse(json)).Matches(e);

    [Fact]
    public void EventFilter_Empty_MatchesEverything()
    {
        Assert.True(Matches("", s_containerStart));
        Assert.True(Matches("", s_imagePull));
    }

    [Fact]
    public void EventFilter_TypeAndEvent_ExactWithExecPrefix()
    {
        Assert.True(Matches("""{"type":["container"]}""", s_containerStart));
        Assert.False(Matches("""{"type":["container"]}""", s_imagePull));
        Assert.True(Matches("""{"event":["start","die"]}""", s_containerStart));
        Assert.False(Matches("""{"event":["die"]}""", s_containerStart));
        Assert.True(Matches("""{"event":["exec_start"]}""", s_execStart));
    }

    [Fact]
    public void EventFilter_Container_ByNameOrIdPrefixOnlyForContainerEvents()
    {
        Assert.True(Matches("""{"container":["web"]}""", s_containerStart));
        Assert.True(Matches("""{"container":["aaaa"]}""", s_containerStart));
        Assert.False(Matches("""{"container":["db"]}""", s_containerStart));
        Assert.False(Matches("""{"container":["web"]}""", s_imagePull));
    }

    [Fact]
    public void EventFilter_Image_MatchesContainerAttributeAndImageEvents()
    {
        Assert.True(Matches("""{"image":["busybox"]}""", s_containerStart));
        Assert.True(Matches("""{"image":["busybox"]}""", s_execStart));
        Assert.True(Matches("""{"image":["busybox"]}""", s_imagePull));
        Assert.False(Matches("""{"image":["alpine"]}""", s_containerStart));
    }

    [Fact]
    public void EventFilter_Label_MatchesAttributes()
    {
        Assert.True(Matches("""{"label":["app=web"]}""", s_containerStart));
        Assert.False(Matches("""{"label":["app=db"]}""", s_containerStart));
    }

    [Fact]
    public void EventFilter_UnknownKey_Throws()
    {
        var e = Assert.Throws<EngineException>(() => Matches("""{"colour":["x"]}""", s_containerStart));
        Assert.Equal("invalid filter 'colour'", e.Message);
    }
}
