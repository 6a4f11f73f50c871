using System.Text.Json.Serialization;

namespace Wharf.Engine.Swarm;

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(SwarmState))]
internal sealed partial class SwarmJsonContext : JsonSerializerContext;
