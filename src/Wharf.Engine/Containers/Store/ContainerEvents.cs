using Wharf.Engine.Events;

namespace Wharf.Engine.Containers.Store;

/// <summary>Publishes container events with the attributes Docker gives every one: the container's labels, its
/// image and its name.</summary>
public sealed class ContainerEvents(EventBus events)
{
    public void Publish(ContainerRecord record, string action, params (string Key, string Value)[] extra)
    {
        ArgumentNullException.ThrowIfNull(record);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in record.Config.Labels) attributes[k] = v;
        attributes["image"] = record.Config.Image;
        attributes["name"] = record.Name;
        foreach (var (k, v) in extra) attributes[k] = v;
        events.Publish("container", action, record.Id, attributes);
    }
}
