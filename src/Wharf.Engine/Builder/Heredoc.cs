namespace Wharf.Engine.Builder;

/// <summary>A here-document of a Dockerfile line: its delimiter name and body (each line ending in a newline).</summary>
public sealed record Heredoc(string Name, string Body, bool Expand);
