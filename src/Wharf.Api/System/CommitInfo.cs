namespace Wharf.Api.System;

public sealed class CommitInfo
{
    public string ID { get; set; } = "";
}
