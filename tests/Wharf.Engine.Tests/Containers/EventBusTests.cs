using Wharf.Engine.Events;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

public sealed class EventBusTests
{
    private static readonly Dictionary<string, string> NoAttributes = [];

    [Fact]
    public void Subscribe_Since_ReplaysHistoryThenLive()
    {
        var bus = new EventBus(TimeProvider.System);
        bus.Publish("container", "create", "a", NoAttributes);
        bus.Publish("container", "start", "a", NoAttributes);
        using var all = bus.Subscribe(0);
        using var none = bus.Subscribe(null);
        Assert.Equal(["create", "start"], all.Past.Select(e => e.Action));
        Assert.Empty(none.Past);

        bus.Publish("container", "die", "a", NoAttributes);
        Assert.True(all.Live.TryRead(out var live));
        Assert.Equal("die", live.Action);
        Assert.True(none.Live.TryRead(out _));
    }

    [Fact]
    public void Publish_TimesStrictlyIncrease()
    {
        var bus = new EventBus(TimeProvider.System);
        for (var i = 0; i < 100; i++) bus.Publish("image", "tag", "x", NoAttributes);
        using var s = bus.Subscribe(0);
        var times = s.Past.Select(e => e.TimeNano).ToList();
        Assert.Equal(times.Distinct().Count(), times.Count);
        Assert.Equal(times.Order(), times);
    }

    [Fact]
    public void Dispose_StopsDelivery()
    {
        var bus = new EventBus(TimeProvider.System);
        var s = bus.Subscribe(null);
        s.Dispose();
        bus.Publish("container", "create", "a", NoAttributes);
        Assert.False(s.Live.TryRead(out _));
    }
}
