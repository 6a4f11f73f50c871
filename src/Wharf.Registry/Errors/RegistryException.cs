namespace Wharf.Registry.Errors;

/// <summary>A request failed with one of the spec's error codes; the handler turns it into the JSON error body.</summary>
internal sealed class RegistryException : Exception
{
    public RegistryException(RegistryErrorCode code, string? message = null, string? detail = null)
        : base(message ?? RegistryErrors.Describe(code).Message)
    {
        Code = code;
        Detail = detail;
    }

    public RegistryErrorCode Code { get; }

    public string? Detail { get; }
}
