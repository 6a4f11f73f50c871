using System.Security.Cryptography;

namespace Wharf.EndToEnd.Tests;

/// <summary>The shim execs without runc (its own binary joins the container and applies what runc applies). These
/// tests run the SAME probe in the SAME container twice — once on the fast path, once through `runc exec` (forced by
/// the shim's test hook, a file named exec-via-runc in the container's state dir) — and require identical output:
/// credentials, capability sets, no_new_privs, seccomp mode and filter count, groups, cgroups, mounts, namespaces,
/// environment, cwd, rlimits, hostname, oom_score_adj, and what a syscall the profile blocks does. Failures (missing
/// binary, missing cwd) must give the same exit code and message.</summary>
[Collection(DaemonCollection.Name)]
public sealed class ExecPathEqualityTests(DaemonFixture daemon)
{
    /// <summary>Everything the process can observe about how it was started, pids excluded (they differ by nature).</summary>
    private const string Probe =
        "grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp|Seccomp_filters):' /proc/self/status; " +
        "id; echo cwd=$(pwd); env | sort; ulimit -a; hostname; cat /proc/self/oom_score_adj; " +
        "for n in /proc/self/ns/*; do echo $n $(readlink $n); done; cat /proc/self/cgroup; cat /proc/self/mountinfo; " +
        "unshare -U true 2>&1; echo unshare=$?; mkdir /tmp/probe-dir 2>&1; echo mkdir=$?; rmdir /tmp/probe-dir 2>/dev/null; " +
        "awk '{print \"session-leader=\" ($6 == $1)}' /proc/self/stat 2>/dev/null || true";

    [Theory]
    [InlineData("default")]
    [InlineData("user")]
    [InlineData("caps")]
    [InlineData("no-new-privileges")]
    [InlineData("seccomp-unconfined")]
    [InlineData("seccomp-custom")]
    [InlineData("ulimit")]
    public async Task Exec_FastPathEqualsRuncExec(string config)
    {
        var profile = Path.Combine(daemon.Root, $"seccomp-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(profile, """
            {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
              {"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":13},
              {"names":["personality"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":8,"op":"SCMP_CMP_EQ"}]}]}
            """);
        string[] options = config switch
        {
            "default" => [],
            "user" => ["--user", "1000:1000", "--group-add", "2000", "--group-add", "3000"],
            "caps" => ["--cap-drop", "ALL", "--cap-add", "NET_ADMIN", "--cap-add", "KILL"],
            "no-new-privileges" => ["--security-opt", "no-new-privileges"],
            "seccomp-unconfined" => ["--security-opt", "seccomp=unconfined"],
            "seccomp-custom" => ["--security-opt", "seccomp=" + profile],
            "ulimit" => ["--ulimit", "nofile=1024:2048", "--ulimit", "nproc=500:600"],
            _ => throw new ArgumentOutOfRangeException(nameof(config)),
        };
        await WithContainerAsync(options, async (name, stateDir) =>
        {
            foreach (string[] exec in new[] { new[] { "sh", "-c", Probe }, ["-w", "/tmp", "-e", "FOO=bar", "-e", "HOME=", "sh", "-c", Probe] })
            {
                var (fast, runc) = await BothPathsAsync(stateDir, ["exec", .. exec[..^3], name, .. exec[^3..]]);
                Assert.True(runc.ExitCode == 0, runc.ToString());
                Assert.Equal(runc.ToString(), fast.ToString());
            }
        });
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("/nope")]
    [InlineData("/etc/passwd")]
    [InlineData("/bin")]
    public async Task Exec_StartFailure_SameExitCodeAndMessageOnBothPaths(string binary)
    {
        await WithContainerAsync([], async (name, stateDir) =>
        {
            var (fast, runc) = await BothPathsAsync(stateDir, ["exec", name, binary]);
            Assert.NotEqual(0, runc.ExitCode);
            Assert.Equal(runc.ToString(), fast.ToString());
        });
    }

    [Fact]
    public async Task Exec_MissingCwd_SameExitCodeAndMessageOnBothPaths()
    {
        await WithContainerAsync([], async (name, stateDir) =>
        {
            var (fast, runc) = await BothPathsAsync(stateDir, ["exec", "-w", "/no/such/dir", name, "true"]);
            // The docker CLI prints the start error on stdout for an attached exec.
            Assert.Contains("chdir to cwd (\"/no/such/dir\") set in config.json failed: no such file or directory", runc.Stdout + runc.Stderr);
            Assert.Equal(runc.ToString(), fast.ToString());
        });
    }

    [Fact]
    public async Task Exec_StdinAndExitCode_PassThroughTheFastPath()
    {
        await WithContainerAsync([], async (name, _) =>
        {
            var r = await CommandRunner.RunAsync("bash", ["-c", $"echo hello | '{TestBinaries.Docker}' exec -i {name} sh -c 'cat; exit 3'"], daemon.Env);
            Assert.Equal(3, r.ExitCode);
            Assert.Equal("hello\n", r.Stdout);
        });
    }

    /// <summary>CVE-2019-5736 class: `docker exec c /evil` where /evil is `#!/proc/self/exe` makes the kernel run the
    /// exec helper's own binary as the interpreter, inside the container (the host's glibc loader is mounted in so it
    /// can start). A watcher in the container freezes that process and tries to write its /proc/PID/exe. The binary it
    /// runs must be the detached read-only copy (its exe link is "/", no host path), the write must fail, and the host's
    /// wharf-shim must be unchanged.</summary>
    [Fact]
    public async Task Exec_ProcSelfExeInterpreter_CannotWriteTheHostShimBinary()
    {
        var before = SHA256.HashData(await File.ReadAllBytesAsync(TestBinaries.Shim));
        string[] loader = ["-v", "/lib64:/lib64:ro", "-v", "/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:ro"];
        await WithContainerAsync(loader, async (name, _) =>
        {
            Assert.Equal(0, (await daemon.DockerAsync("exec", name, "sh", "-c", "printf '#!/proc/self/exe\\n' > /evil; chmod +x /evil")).ExitCode);
            const string watch =
                "while :; do for d in /proc/[0-9]*; do read c < $d/comm 2>/dev/null; " +
                "if [ \"$c\" = evil ]; then p=${d#/proc/}; kill -STOP $p; break 2; fi; done; done; " +
                "echo exe=$(readlink /proc/$p/exe); (echo pwned >> /proc/$p/exe) 2>&1; echo write=$?; kill -9 $p";
            var watcher = daemon.DockerAsync("exec", name, "timeout", "60", "sh", "-c", watch);
            for (var i = 0; i < 100 && !watcher.IsCompleted; i++)
                await daemon.DockerAsync("exec", name, "/evil");
            var seen = await watcher.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Contains("exe=/\n", seen.Stdout);
            Assert.Contains("write=1", seen.Stdout);
        });
        Assert.Equal(before, SHA256.HashData(await File.ReadAllBytesAsync(TestBinaries.Shim)));
    }

    private async Task<(CommandResult Fast, CommandResult Runc)> BothPathsAsync(string stateDir, string[] args)
    {
        var hook = Path.Combine(stateDir, "exec-via-runc");
        File.Delete(hook);
        var fast = await daemon.DockerAsync(args);
        await File.WriteAllTextAsync(hook, "");
        try
        {
            return (fast, await daemon.DockerAsync(args));
        }
        finally
        {
            File.Delete(hook);
        }
    }

    private async Task WithContainerAsync(string[] options, Func<string, string, Task> body)
    {
        var name = "exec-eq-" + Guid.NewGuid().ToString("N")[..8];
        var run = await daemon.DockerAsync(["run", "-d", "--name", name, .. options, "busybox", "sleep", "300"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        try
        {
            var id = run.Stdout.Trim();
            var stateDir = Path.Combine(daemon.ExecRoot, "containers", id);
            Assert.True(File.Exists(Path.Combine(stateDir, "config.json")), $"no container state dir at {stateDir}");
            await body(name, stateDir);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }
}
