namespace Wharf.Api.Client;

/// <summary>Query of an import (POST /images/create?fromSrc=); <see cref="SourceUrl"/> only when the daemon fetches the tarball.</summary>
public sealed record ImageImportOptions
{
    public string? SourceUrl { get; init; }

    public string? Repository { get; init; }

    public string? Message { get; init; }

    public string? Platform { get; init; }

    public IReadOnlyList<string> Changes { get; init; } = [];
}
