namespace Wharf.EndToEnd.Tests;

/// <summary>Security defaults and options (capabilities, seccomp, privileged, devices, groups, sysctls, masked
/// paths) with the real docker CLI and with wharf against a real wharfd.</summary>
[Collection(DaemonCollection.Name)]
public sealed class SecurityTests(DaemonFixture daemon)
{
    private const string Probe =
        "grep -E '^(CapEff|Seccomp|NoNewPrivs):' /proc/self/status | tr '\\t' ' ';" +
        "grep ' /sys ' /proc/mounts | cut -d' ' -f4 | cut -d, -f1;" +
        "echo masks=$(awk '$5==\"/proc/keys\"||$5==\"/proc/interrupts\"' /proc/self/mountinfo | wc -l);" +
        "echo procsys=$(awk '$5==\"/proc/sys\"{print substr($6,1,2)}' /proc/self/mountinfo);" +
        "unshare -U true 2>/dev/null && echo unshare=ok || echo unshare=denied;" +
        "mkdir -p /mnt/t && (mount -t tmpfs none /mnt/t 2>/dev/null && echo mount=ok || echo mount=denied)";

    [Fact]
    public async Task Run_Defaults_DockersCapabilitiesSeccompAndMasks()
    {
        var r = await daemon.DockerAsync("run", "--rm", "busybox", "sh", "-c", Probe);

        Assert.True(r.ExitCode == 0, r.ToString());
        // Docker's 14 default capabilities are bits 0,1,3,4,5,6,7,8,10,13,18,27,29,31.
        Assert.Contains("CapEff: 00000000a80425fb", r.Stdout);
        Assert.Contains("Seccomp: 2", r.Stdout);
        Assert.Contains("NoNewPrivs: 0", r.Stdout);
        Assert.Contains("\nro\n", r.Stdout);
        Assert.Contains("masks=2", r.Stdout);
        Assert.Contains("procsys=ro", r.Stdout);
        Assert.Contains("unshare=denied", r.Stdout);
        Assert.Contains("mount=denied", r.Stdout);
    }

    [Fact]
    public async Task Run_Privileged_GetsHostCapabilitiesDevicesWritableSysAndNoFilter()
    {
        var hostCapBnd = File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith("CapBnd:", StringComparison.Ordinal)).Split('\t')[1];
        var r = await daemon.DockerAsync("run", "--rm", "--privileged", "busybox", "sh", "-c", Probe + "; ls /dev | grep -c . ; test -c /dev/kmsg && echo kmsg=yes");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"CapEff: {hostCapBnd}", r.Stdout);
        Assert.Contains("Seccomp: 0", r.Stdout);
        Assert.Contains("\nrw\n", r.Stdout);
        Assert.Contains("mount=ok", r.Stdout);
        Assert.Contains("masks=0", r.Stdout);
        Assert.Contains("procsys=\n", r.Stdout);
        Assert.Contains("kmsg=yes", r.Stdout);

        var w = await daemon.WharfAsync("run", "--rm", "--privileged", "busybox", "sh", "-c", "grep CapEff /proc/self/status; test -c /dev/kmsg && echo kmsg=yes");
        Assert.True(w.ExitCode == 0, w.ToString());
        Assert.Contains(hostCapBnd, w.Stdout);
        Assert.Contains("kmsg=yes", w.Stdout);
    }

    [Fact]
    public async Task Run_CapAddDropAndSeccompOptions_AreApplied()
    {
        var only = await daemon.DockerAsync("run", "--rm", "--cap-drop", "ALL", "--cap-add", "cap_chown", "--cap-add", "KILL", "busybox", "grep", "CapEff", "/proc/self/status");
        Assert.True(only.ExitCode == 0, only.ToString());
        Assert.Contains("0000000000000021", only.Stdout);

        var admin = await daemon.DockerAsync("run", "--rm", "--cap-add", "SYS_ADMIN", "busybox", "sh", "-c", Probe);
        Assert.True(admin.ExitCode == 0, admin.ToString());
        Assert.Contains("mount=ok", admin.Stdout);

        var unconfined = await daemon.DockerAsync("run", "--rm", "--security-opt", "seccomp=unconfined", "--security-opt", "no-new-privileges", "busybox", "sh", "-c", Probe);
        Assert.True(unconfined.ExitCode == 0, unconfined.ToString());
        Assert.Contains("Seccomp: 0", unconfined.Stdout);
        Assert.Contains("NoNewPrivs: 1", unconfined.Stdout);

        var profile = Path.Combine(daemon.Root, "no-mkdir-" + Guid.NewGuid().ToString("N")[..6] + ".json");
        await File.WriteAllTextAsync(profile, """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]}""");
        foreach (var cli in new[] { daemon.DockerAsync, daemon.WharfAsync })
        {
            var custom = await cli(["run", "--rm", "--security-opt", "seccomp=" + profile, "busybox", "sh", "-c", "mkdir /x && echo made || echo refused"]);
            Assert.True(custom.ExitCode == 0, custom.ToString());
            Assert.Equal("refused\n", custom.Stdout);
        }

        var warned = await daemon.DockerAsync("create", "--security-opt", "apparmor=unconfined", "--security-opt", "label=disable", "busybox", "true");
        Assert.True(warned.ExitCode == 0, warned.ToString());
        await daemon.DockerAsync("rm", warned.Stdout.Trim());
    }

    [Fact]
    public async Task Run_BadSecurityInput_Is400NamingTheField()
    {
        var cap = await daemon.DockerAsync("run", "--rm", "--cap-add", "CAP_FOO", "busybox", "true");
        Assert.Equal(125, cap.ExitCode);
        Assert.Contains("unknown capability: \"CAP_FOO\"", cap.Stderr);

        var bad = Path.Combine(daemon.Root, "bad-" + Guid.NewGuid().ToString("N")[..6] + ".json");
        await File.WriteAllTextAsync(bad, "{\"defaultAction\": 5}"); // valid JSON (the CLI compacts it) but not a profile
        var seccomp = await daemon.DockerAsync("run", "--rm", "--security-opt", "seccomp=" + bad, "busybox", "true");
        Assert.Equal(125, seccomp.ExitCode);
        Assert.Contains("Decoding seccomp profile failed", seccomp.Stderr);

        var device = await daemon.DockerAsync("run", "--rm", "--device", "/dev/nope", "busybox", "true");
        Assert.Equal(127, device.ExitCode); // the docker CLI maps "no such file or directory" to 127
        Assert.Contains("error gathering device information while adding custom device \"/dev/nope\": no such file or directory", device.Stderr);

        using var http = daemon.CreateHttpClient();
        using var response = await http.PostAsync("containers/create", new StringContent(
            """{"Image":"busybox","Cmd":["true"],"HostConfig":{"Sysctls":{"kernel.pid_max":"4000"}}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        using var error = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("sysctl \"kernel.pid_max\" is not in a separate kernel namespace", error.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Run_DevicesGroupsUserAndSysctls_AreApplied()
    {
        var r = await daemon.DockerAsync("run", "--rm", "--device", "/dev/null:/dev/mynull:rw", "--group-add", "nogroup", "--group-add", "1234",
            "--sysctl", "kernel.shmmax=1000000", "--sysctl", "net.ipv4.ip_forward=1", "busybox", "sh", "-c",
            "stat -c '%t:%T %F' /dev/mynull; echo hi > /dev/mynull && echo write=ok; id -G; cat /proc/sys/kernel/shmmax /proc/sys/net/ipv4/ip_forward");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("1:3 character special file\nwrite=ok\n0 1234 65534\n1000000\n1\n", r.Stdout);

        var user = await daemon.WharfAsync("run", "--rm", "-u", "1000:1000", "--group-add", "nobody", "busybox", "id");
        Assert.True(user.ExitCode == 0, user.ToString());
        Assert.StartsWith("uid=1000 gid=1000 groups=", user.Stdout);
        Assert.Contains("65534", user.Stdout);

        var inspect = await daemon.DockerAsync("create", "--device", "/dev/zero", "--sysctl", "net.core.somaxconn=100", "--group-add", "7", "busybox", "true");
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        var id = inspect.Stdout.Trim();
        var shown = await daemon.DockerAsync("inspect", "-f", "{{json .HostConfig.Devices}} {{json .HostConfig.Sysctls}} {{json .HostConfig.GroupAdd}}", id);
        Assert.Equal("[{\"PathOnHost\":\"/dev/zero\",\"PathInContainer\":\"/dev/zero\",\"CgroupPermissions\":\"rwm\"}] {\"net.core.somaxconn\":\"100\"} [\"7\"]\n", shown.Stdout);
        await daemon.DockerAsync("rm", id);
    }

    [Fact]
    public async Task Info_ReportsBuiltinSeccompProfile()
    {
        var r = await daemon.DockerAsync("info", "-f", "{{json .SecurityOptions}}");
        Assert.Equal("[\"name=seccomp,profile=builtin\"]\n", r.Stdout);
    }
}
