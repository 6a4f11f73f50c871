namespace Wharf.Api.Resources;

public sealed class ContainerUpdateResponse
{
    public List<string> Warnings { get; set; } = [];
}
