namespace Wharf.TestKit.Fuzzing;

/// <summary>Valid manifests and indexes of every kind (OCI, Docker schema 2, foreign layers, a referrer), as the seeds the
/// registry's and the puller's manifest fuzzers mutate.</summary>
public static class ManifestSamples
{
    private const string A = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string B = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
    private const string C = "sha256:3333333333333333333333333333333333333333333333333333333333333333";

    public static readonly string[] Documents =
    [
        $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{A}}}","size":120},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{{B}}}","size":4096}],"annotations":{"org.opencontainers.image.created":"2024-01-01T00:00:00Z"}}""",
        $$$"""{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"{{{A}}}","size":7},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"{{{B}}}","size":1},{"mediaType":"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip","digest":"{{{C}}}","size":2,"urls":["https://example.invalid/x"]}]}""",
        $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{A}}}","size":500,"platform":{"os":"linux","architecture":"amd64"}},{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{B}}}","size":501,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}}]}""",
        $$$"""{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"{{{C}}}","size":9,"platform":{"os":"linux","architecture":"amd64"}}]}""",
        $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.example+type","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"{{{A}}}","size":2},"layers":[],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{C}}}","size":10}}""",
        $$$"""{"config":{"digest":"{{{A}}}"},"layers":[{"digest":"{{{B}}}"}]}""",
    ];

    public static readonly string[] ContentTypes =
    [
        "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/json; charset=utf-8", "", " ; ", "text/plain",
    ];

    /// <summary>JSON tokens and manifest member names inserted at random places.</summary>
    public static readonly string[] Tokens =
    [
        "null", "true", "[]", "{}", "\"\"", ",", ":", "\"digest\":", "\"schemaVersion\":", "\"layers\":", "\"config\":",
        "\"manifests\":", "\"subject\":", "\"urls\":", "\"mediaType\":", "\"size\":", "\"platform\":", "\"sha256:\"", "\"sha512:ab\"",
        "\"\\u0000\"", "\"\\ud800\"", "1e999", "-", "\"annotations\":",
    ];
}
