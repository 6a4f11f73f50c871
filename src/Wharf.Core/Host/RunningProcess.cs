namespace Wharf.Core.Host;

/// <summary>A live process of the host as /proc shows it: its pid and its command line (argv).</summary>
public sealed record RunningProcess(int Pid, IReadOnlyList<string> Args);
