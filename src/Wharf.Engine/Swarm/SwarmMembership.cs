using System.Text.Json;
using Wharf.Engine.Storage;

namespace Wharf.Engine.Swarm;

/// <summary>Whether this node manages a swarm, and that swarm's state: read at start, replaced whole and written
/// atomically at every change. Drivers ask it before they make a swarm network; <see cref="SwarmService"/> changes it.</summary>
public sealed class SwarmMembership
{
    private readonly string _file;
    private volatile SwarmState? _current;

    public SwarmMembership(string dataRoot)
    {
        _file = Path.Combine(dataRoot, "swarm", "state.json");
        _current = Load(_file);
    }

    /// <summary>The state, or null outside a swarm.</summary>
    public SwarmState? Current => _current;

    public bool IsActive => _current is not null;

    /// <summary>Makes <paramref name="state"/> current in memory only: a swarm network can then be made before the
    /// membership is committed (<see cref="Save"/>) or dropped (<see cref="Set"/> with null).</summary>
    internal void Set(SwarmState? state) => _current = state;

    /// <summary>Makes <paramref name="state"/> current and durable (null: the node left; the file goes).</summary>
    internal void Save(SwarmState? state)
    {
        if (state is null) File.Delete(_file);
        else AtomicFile.Write(_file, JsonSerializer.SerializeToUtf8Bytes(state, SwarmJsonContext.Default.SwarmState));
        _current = state;
    }

    /// <summary>A missing file is "not in a swarm"; an unreadable one too, rather than a daemon that cannot start —
    /// the node then simply is out of the swarm, as after a leave.</summary>
    private static SwarmState? Load(string file)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(file), SwarmJsonContext.Default.SwarmState);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }
}
