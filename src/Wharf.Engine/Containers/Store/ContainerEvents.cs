using Wharf.Engine.Events;

namespace Wharf.Engine.Containers.Store;

/// <summary>Publishes container events with the attributes Docker gives every one: the container's labels, its
/// image and its name.</summary>
public sealed class ContainerEvents(EventBus events)
{
    /// <summary>From lifecycle code, with the container's gate held (the live record cannot change meanwhile).</summary>
    public void Publish(ContainerRecord record, string action, params (string Key, string Value)[] extra)
    {
        ArgumentNullException.ThrowIfNull(record);
        Publish(record.Id, record.Name, record.Config, action, extra);
    }

    /// <summary>From readers and from outside the container services (commit, attach's detach…).</summary>
    public void Publish(ContainerSnapshot snapshot, string action, params (string Key, string Value)[] extra)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Publish(snapshot.Id, snapshot.Name, snapshot.Config, action, extra);
    }

    private void Publish(string id, string name, ContainerConfig config, string action, (string Key, string Value)[] extra)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in config.Labels) attributes[k] = v;
        attributes["image"] = config.Image;
        attributes["name"] = name;
        foreach (var (k, v) in extra) attributes[k] = v;
        events.Publish("container", action, id, attributes);
    }
}
