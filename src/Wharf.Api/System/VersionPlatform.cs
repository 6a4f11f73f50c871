namespace Wharf.Api.System;

public sealed class VersionPlatform
{
    public string Name { get; set; } = "";
}
