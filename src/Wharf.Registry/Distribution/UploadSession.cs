namespace Wharf.Registry.Distribution;

/// <summary>What this process knows about one upload in progress. <see cref="Gate"/> admits one writer of the
/// upload's data at a time: chunks are received into a private object first and appended under the gate, so a
/// request still receiving its body can never write into data another request has verified and committed.</summary>
internal sealed class UploadSession
{
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The running SHA-256 of the data, when this process received every byte of it; else null.</summary>
    public UploadHash? Hash { get; set; }
}
