namespace Wharf.Api.System;

public sealed class AddressPool
{
    public string Base { get; set; } = "";
    public int Size { get; set; }
}
