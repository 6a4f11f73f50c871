namespace Wharf.Compose.Model;

/// <summary>A loaded, merged, interpolated and validated Compose project.</summary>
public sealed class ComposeProject
{
    public string Name { get; set; } = "";

    public string WorkingDir { get; set; } = "";

    public List<string> ConfigFiles { get; } = [];

    /// <summary>Services in the order of the files (the planner orders them by depends_on).</summary>
    public List<ServiceConfig> Services { get; } = [];

    /// <summary>Services left out because their profiles are not enabled (kept so down/ps still know them).</summary>
    public List<ServiceConfig> DisabledServices { get; } = [];

    public SortedDictionary<string, NetworkConfig> Networks { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, VolumeConfig> Volumes { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, FileObjectConfig> Secrets { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, FileObjectConfig> Configs { get; } = new(StringComparer.Ordinal);

    /// <summary>What Compose warns about while loading (unset variables), for the CLI to print.</summary>
    public List<string> Warnings { get; } = [];

    public ServiceConfig? Service(string name) => Services.FirstOrDefault(s => s.Name == name);

    public IEnumerable<string> ServiceNames => Services.Select(s => s.Name);
}
