namespace Wharf.Registry.Errors;

/// <summary>The one place that maps an error code to its wire name, HTTP status and default message.</summary>
internal static class RegistryErrors
{
    public static (string Code, int Status, string Message) Describe(RegistryErrorCode code) => code switch
    {
        RegistryErrorCode.BlobUnknown => ("BLOB_UNKNOWN", 404, "blob unknown to registry"),
        RegistryErrorCode.BlobUploadInvalid => ("BLOB_UPLOAD_INVALID", 400, "blob upload invalid"),
        RegistryErrorCode.BlobUploadUnknown => ("BLOB_UPLOAD_UNKNOWN", 404, "blob upload unknown to registry"),
        RegistryErrorCode.DigestInvalid => ("DIGEST_INVALID", 400, "provided digest did not match uploaded content"),
        RegistryErrorCode.ManifestBlobUnknown => ("MANIFEST_BLOB_UNKNOWN", 404, "blob unknown to registry"),
        RegistryErrorCode.ManifestInvalid => ("MANIFEST_INVALID", 400, "manifest invalid"),
        RegistryErrorCode.ManifestUnknown => ("MANIFEST_UNKNOWN", 404, "manifest unknown"),
        RegistryErrorCode.NameInvalid => ("NAME_INVALID", 400, "invalid repository name"),
        RegistryErrorCode.NameUnknown => ("NAME_UNKNOWN", 404, "repository name not known to registry"),
        RegistryErrorCode.SizeInvalid => ("SIZE_INVALID", 400, "provided length did not match content length"),
        RegistryErrorCode.TagInvalid => ("TAG_INVALID", 400, "manifest tag did not match URI"),
        RegistryErrorCode.Unauthorized => ("UNAUTHORIZED", 401, "authentication required"),
        RegistryErrorCode.Denied => ("DENIED", 403, "requested access to the resource is denied"),
        RegistryErrorCode.Unsupported => ("UNSUPPORTED", 405, "The operation is unsupported."),
        RegistryErrorCode.TooManyRequests => ("TOOMANYREQUESTS", 429, "too many requests"),
        RegistryErrorCode.RangeInvalid => ("BLOB_UPLOAD_INVALID", 416, "invalid content range"),
        RegistryErrorCode.PaginationNumberInvalid => ("PAGINATION_NUMBER_INVALID", 400, "invalid number of results requested"),
        _ => ("UNKNOWN", 500, "unknown error"),
    };
}
