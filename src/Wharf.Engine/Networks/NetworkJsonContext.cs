using System.Text.Json.Serialization;

namespace Wharf.Engine.Networks;

[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(NetworkRecord))]
internal sealed partial class NetworkJsonContext : JsonSerializerContext;
