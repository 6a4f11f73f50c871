using System.Text.Json.Serialization;
using Wharf.Engine.Containers;

namespace Wharf.Engine;

/// <summary>Source-generated JSON for the engine's own persisted documents.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(ContainerRecord))]
public sealed partial class EngineJsonContext : JsonSerializerContext;
