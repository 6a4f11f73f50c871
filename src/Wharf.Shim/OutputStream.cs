namespace Wharf.Shim;

/// <summary>The stdcopy stream numbers Docker uses in its 8-byte frame headers.</summary>
internal enum OutputStream : byte
{
    Stdout = 1,
    Stderr = 2,
}
