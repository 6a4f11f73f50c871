namespace Wharf.Api.Client;

/// <summary>A non-success answer from the daemon: HTTP status plus the `message` of its error body.</summary>
public sealed class EngineApiException : Exception
{
    public EngineApiException(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public EngineApiException()
    {
    }

    public EngineApiException(string message)
        : base(message)
    {
    }

    public EngineApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int StatusCode { get; }

    public bool IsNotFound => StatusCode == 404;
}
