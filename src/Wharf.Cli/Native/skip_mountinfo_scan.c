// Linked into the NativeAOT wharf with -Wl,--wrap=fopen64 (see Wharf.Cli.csproj).
//
// WHY: at start-up the .NET runtime reads /proc/self/mountinfo twice, line by line (the GC looking for the memory
// cgroup, the runtime for the CPU cgroup), before any of our code runs. The kernel formats every mount of the
// namespace for each read, overlay mounts with their full lowerdir lists: on a host running containers (hundreds of
// mounts) that was most of `wharf version`'s CPU time (perf: ovl_show_options, string_escape_mem, show_mountinfo),
// and it waits on the mount-namespace lock while other processes mount and unmount. A short-lived CLI has no use for
// cgroup memory or CPU limits (its heap is small and it runs a handful of threads), so it gets an empty mount table:
// the runtime then finds no cgroup and uses the machine's figures, as on a host without cgroups.
// Every other fopen goes to glibc unchanged.
#include <stdio.h>
#include <string.h>

FILE *__real_fopen64(const char *path, const char *mode);

FILE *__wrap_fopen64(const char *path, const char *mode)
{
    if (path != NULL && strcmp(path, "/proc/self/mountinfo") == 0)
    {
        return __real_fopen64("/dev/null", mode);
    }

    return __real_fopen64(path, mode);
}
