namespace Wharf.Api.Streams;

/// <summary>Stream id in the first byte of a multiplexed frame header.</summary>
public enum StdStreamType : byte
{
    Stdin = 0,
    Stdout = 1,
    Stderr = 2,
    /// <summary>A daemon-side error; readers stop and report the payload.</summary>
    SystemError = 3,
}
