namespace Wharf.Api.Containers;

public sealed class ContainerWaitResponse
{
    public long StatusCode { get; set; }
    public ContainerWaitExitError? Error { get; set; }
}
