namespace Wharf.Api.Common;

public sealed class IdResponse
{
    public string Id { get; set; } = "";
}
