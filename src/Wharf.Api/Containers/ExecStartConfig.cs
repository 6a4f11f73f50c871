namespace Wharf.Api.Containers;

/// <summary>Body of POST /exec/{id}/start.</summary>
public sealed class ExecStartConfig
{
    public bool Detach { get; set; }
    public bool Tty { get; set; }
    public List<int>? ConsoleSize { get; set; }
}
