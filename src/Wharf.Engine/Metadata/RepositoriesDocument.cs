using System.Text.Json.Serialization;

namespace Wharf.Engine.Metadata;

/// <summary>image/repositories.json, shaped like Docker's: repository (familiar name) -> familiar reference -> image id.</summary>
internal sealed record RepositoriesDocument(
    [property: JsonPropertyName("Repositories")] Dictionary<string, Dictionary<string, string>> Repositories);
