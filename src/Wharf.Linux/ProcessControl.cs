using Wharf.Linux.Interop;

namespace Wharf.Linux;

/// <summary>Process-level calls a supervisor needs: sessions, subreaping, waiting, signalling.</summary>
public static class ProcessControl
{
    /// <summary>Becomes a session leader unless already one (setsid fails for a group leader).</summary>
    public static void EnsureSessionLeader()
    {
        var pid = SessionSyscalls.GetPid();
        if (SessionSyscalls.GetSid(0) == pid)
            return;
        Errno.CheckIo(SessionSyscalls.SetSid(), "setsid");
    }

    /// <summary>Orphaned descendants are reparented to us instead of init, so we can waitpid() them.</summary>
    public static void SetChildSubreaper() =>
        Errno.CheckIo(PrctlSyscalls.Prctl(PrctlSyscalls.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl(PR_SET_CHILD_SUBREAPER)");

    /// <summary>Blocks until any child exits. False when we have no children at all (ECHILD).</summary>
    public static bool TryWaitAny(out int pid, out int waitStatus)
    {
        while (true)
        {
            pid = WaitSyscalls.WaitPid(-1, out waitStatus, 0);
            if (pid > 0)
                return true;
            var errno = Errno.Last;
            if (errno == Errno.EINTR)
                continue;
            if (errno == Errno.ECHILD)
                return false;
            throw new SyscallException("waitpid", null, errno);
        }
    }

    /// <summary>Blocks until any child has exited and returns its pid WITHOUT reaping it (waitid WNOWAIT): the
    /// zombie keeps its pid from being reused until the caller reaps it with <see cref="TryReap"/>, so a supervisor
    /// can mark the pid dead under its own lock first and never signal a recycled pid. False when we have no
    /// children at all (ECHILD).</summary>
    public static unsafe bool TryPeekExitedChild(out int pid)
    {
        var info = stackalloc byte[WaitSyscalls.SigInfoSize];
        while (true)
        {
            new Span<byte>(info, WaitSyscalls.SigInfoSize).Clear();
            if (WaitSyscalls.WaitId(WaitSyscalls.P_ALL, 0, info, WaitSyscalls.WEXITED | WaitSyscalls.WNOWAIT) == 0)
            {
                pid = *(int*)(info + WaitSyscalls.SigInfoPidOffset);
                if (pid > 0)
                    return true;
                continue; // no pid filled in: nothing had exited after all (cannot happen without WNOHANG)
            }
            var errno = Errno.Last;
            if (errno == Errno.EINTR)
                continue;
            pid = 0;
            if (errno == Errno.ECHILD)
                return false;
            throw new SyscallException("waitid", null, errno);
        }
    }

    /// <summary>Non-blocking waitpid(pid, WNOHANG): true (and the raw wait status) if it has exited and is now reaped.</summary>
    public static bool TryReap(int pid, out int waitStatus)
    {
        while (true)
        {
            var r = WaitSyscalls.WaitPid(pid, out waitStatus, WaitSyscalls.WNOHANG);
            if (r == pid)
                return true;
            if (r == 0)
                return false;
            var errno = Errno.Last;
            if (errno == Errno.EINTR)
                continue;
            if (errno == Errno.ECHILD)
                return false;
            throw new SyscallException("waitpid", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), errno);
        }
    }

    /// <summary>Blocks until <paramref name="pid"/> exits; false if it is not our child.</summary>
    public static bool WaitFor(int pid, out int waitStatus)
    {
        while (true)
        {
            var r = WaitSyscalls.WaitPid(pid, out waitStatus, 0);
            if (r == pid)
                return true;
            var errno = Errno.Last;
            if (errno == Errno.EINTR)
                continue;
            return false;
        }
    }

    /// <summary>kill(2). False when the process no longer exists (ESRCH).</summary>
    public static bool SendSignal(int pid, int signal)
    {
        if (SignalSyscalls.Kill(pid, signal) == 0)
            return true;
        var errno = Errno.Last;
        if (errno == Errno.ESRCH)
            return false;
        throw new SyscallException($"kill({signal})", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), errno);
    }

    /// <summary>Shell-style exit code from a raw wait status: the exit status, or 128 + the killing signal.</summary>
    public static int ExitCodeFromWaitStatus(int waitStatus)
    {
        var termSignal = waitStatus & 0x7f;
        return termSignal == 0 ? (waitStatus >> 8) & 0xff : 128 + termSignal;
    }
}
