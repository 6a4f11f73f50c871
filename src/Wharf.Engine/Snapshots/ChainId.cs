using System.Text;
using Wharf.Core;

namespace Wharf.Engine.Snapshots;

/// <summary>OCI ChainID: chain(L0) = diffid0; chain(n) = sha256(chain(n-1) + " " + diffid(n)). It names a stack of
/// layers, which is what a snapshot is.</summary>
public static class ChainId
{
    public static IReadOnlyList<Digest> Compute(IReadOnlyList<Digest> diffIds)
    {
        var chain = new Digest[diffIds.Count];
        for (var i = 0; i < diffIds.Count; i++)
        {
            chain[i] = i == 0 ? diffIds[0] : Digest.Compute(Encoding.ASCII.GetBytes(chain[i - 1].Value + " " + diffIds[i].Value));
        }
        return chain;
    }
}
