using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

public sealed class ExecProcessConfig
{
    [JsonPropertyName("privileged")]
    public bool Privileged { get; set; }

    [JsonPropertyName("user")]
    public string User { get; set; } = "";

    [JsonPropertyName("tty")]
    public bool Tty { get; set; }

    [JsonPropertyName("entrypoint")]
    public string Entrypoint { get; set; } = "";

    [JsonPropertyName("arguments")]
    public List<string> Arguments { get; set; } = [];
}
