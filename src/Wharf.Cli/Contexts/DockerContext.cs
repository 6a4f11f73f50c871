namespace Wharf.Cli.Contexts;

/// <summary>One named daemon endpoint as docker stores it (~/.docker/contexts): where it is and how to trust it.
/// <see cref="TlsDirectory"/> holds ca.pem/cert.pem/key.pem when the context was created with TLS material.</summary>
internal sealed record DockerContext(string Name, string Description, string Host, bool SkipTlsVerify, string? TlsDirectory)
{
    public const string DefaultName = "default";

    public bool HasTlsMaterial => TlsDirectory is not null && TlsFiles.Count > 0;

    /// <summary>The TLS files present, in docker's order.</summary>
    public IReadOnlyList<string> TlsFiles =>
        TlsDirectory is null ? [] : ContextStore.TlsFileNames.Where(f => File.Exists(Path.Combine(TlsDirectory, f))).ToList();
}
