using System.Text.Json.Serialization;

namespace Wharf.Engine.Networks;

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(List<NetworkRecord>))]
internal sealed partial class BridgeLedgerJsonContext : JsonSerializerContext;
