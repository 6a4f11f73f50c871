namespace Wharf.Engine.Volumes;

/// <summary>Disk use of one volume for <c>system df -v</c>: bytes under its data directory (-1 when unknown,
/// e.g. a plugin's volume) and how many containers reference it.</summary>
public sealed record VolumeUsage(VolumeRecord Volume, long Size, int RefCount);
