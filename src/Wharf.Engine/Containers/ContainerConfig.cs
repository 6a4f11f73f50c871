namespace Wharf.Engine.Containers;

/// <summary>What the user asked the container to be (Docker's container "Config"), as the engine keeps it.
/// Field names follow Docker's so the API mapping stays mechanical.</summary>
public sealed class ContainerConfig
{
    public string Hostname { get; set; } = "";
    public string Domainname { get; set; } = "";
    public string User { get; set; } = "";
    public bool AttachStdin { get; set; }
    public bool AttachStdout { get; set; }
    public bool AttachStderr { get; set; }
    public bool Tty { get; set; }
    public bool OpenStdin { get; set; }
    public bool StdinOnce { get; set; }
    public List<string> Env { get; set; } = [];
    public List<string>? Cmd { get; set; }
    public List<string>? Entrypoint { get; set; }
    /// <summary>The image as the user named it ("busybox").</summary>
    public string Image { get; set; } = "";
    public string WorkingDir { get; set; } = "";
    public Dictionary<string, string> Labels { get; set; } = [];
    public string? StopSignal { get; set; }
    public int? StopTimeout { get; set; }
    public List<string> ExposedPorts { get; set; } = [];
    public List<string> Volumes { get; set; } = [];
    /// <summary>The effective health check: the user's merged over the image's at create.</summary>
    public Health.HealthcheckSettings? Healthcheck { get; set; }
}
