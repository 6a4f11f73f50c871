namespace Wharf.Engine.Containers;

/// <summary>docker logs options after parsing. Tail null = all.</summary>
public sealed record LogQuery(bool Stdout, bool Stderr, bool Follow, DateTimeOffset? Since, DateTimeOffset? Until, int? Tail);
