using System.Text.Json.Serialization;

namespace Wharf.Cli.Contexts;

[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(ContextMetadata))]
[JsonSerializable(typeof(List<ContextInspection>))]
internal sealed partial class ContextJsonContext : JsonSerializerContext;

[JsonSourceGenerationOptions(WriteIndented = true, IndentSize = 4)]
[JsonSerializable(typeof(List<ContextInspection>))]
internal sealed partial class IndentedContextJsonContext : JsonSerializerContext;
