using System.Text.Json.Serialization;

namespace Wharf.Api.Swarm;

/// <summary>Source-generated JSON for the /swarm and /nodes DTOs.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(SwarmSpec))]
[JsonSerializable(typeof(SwarmInspect))]
[JsonSerializable(typeof(SwarmInitRequest))]
[JsonSerializable(typeof(UnlockKeyResponse))]
[JsonSerializable(typeof(NodeResource))]
[JsonSerializable(typeof(List<NodeResource>))]
[JsonSerializable(typeof(NodeSpec))]
[JsonSerializable(typeof(string))]
public sealed partial class SwarmApiJsonContext : JsonSerializerContext;
