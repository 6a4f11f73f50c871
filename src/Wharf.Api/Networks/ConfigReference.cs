namespace Wharf.Api.Networks;

public sealed class ConfigReference
{
    public string Network { get; set; } = "";
}
