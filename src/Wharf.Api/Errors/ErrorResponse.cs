using System.Text.Json.Serialization;

namespace Wharf.Api.Errors;

/// <summary>Error body of every failed request: {"message":"..."} (lower-case key).</summary>
public sealed class ErrorResponse
{
    [JsonPropertyName("message")]
    public string Message { get; set; } = "";
}
