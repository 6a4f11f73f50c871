using System.Text.Json.Serialization;

namespace Wharf.Engine.Cluster;

[JsonSourceGenerationOptions(WriteIndented = false, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ClusterNode))]
[JsonSerializable(typeof(ClusterAddressClaim))]
[JsonSerializable(typeof(ClusterEndpoint))]
[JsonSerializable(typeof(ClusterNetwork))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;
