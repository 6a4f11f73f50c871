namespace Wharf.Api.Containers;

public sealed class ContainerWaitExitError
{
    public string? Message { get; set; }
}
