namespace Wharf.Api.Client;

public enum EndpointKind
{
    Unix,
    Tcp,
}
