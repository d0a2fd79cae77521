using System.Runtime.InteropServices;

namespace Hotline.Media.Engine;

/// <summary>
/// Raises the calling thread's scheduling priority on Linux (setpriority(2) on its thread id: on Linux a
/// nice value belongs to a thread). A media worker must run every 20 ms; on a busy server the scheduler
/// shares the cores fairly between every runnable thread, and a worker that waits its turn behind
/// signalling, storage and other processes stalls past whole ticks (measured in
/// benchmarks/calls/README.md: at 750 recorded calls on 2 shared cores, 704 ticks skipped in 30 s at nice 0,
/// 157 at nice -10, with no GC pause in either window).
/// </summary>
internal static partial class WorkerPriority
{
    private const int PrioProcess = 0;
    private const string Libc = "libc.so.6";

    /// <summary>Sets the calling thread's nice value; false with the reason when the system refuses (or is not Linux).</summary>
    public static bool TrySetCurrentThread(int nice, out string? error) => SetNice(null, nice, out error);

    /// <summary>Sets the nice value of this process's thread <paramref name="threadId"/> (Linux thread id).</summary>
    public static bool TrySetThread(int threadId, int nice, out string? error) => SetNice(threadId, nice, out error);

    /// <summary>The ids of this process's threads named <paramref name="name"/> (/proc/self/task/*/comm); none off Linux.</summary>
    public static List<int> ThreadsNamed(string name)
    {
        var found = new List<int>();
        if (!OperatingSystem.IsLinux())
            return found;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') == name && int.TryParse(Path.GetFileName(task), out int id))
                    found.Add(id);
            }
            catch (IOException)
            {
                // The thread ended while the list was read.
            }
        }
        return found;
    }

    /// <summary>The nice value of this process's thread <paramref name="threadId"/>, or null when it cannot be read.</summary>
    public static int? ThreadNice(int threadId) => ReadNice($"/proc/self/task/{threadId}/stat");

    /// <summary>The calling thread's nice value (for tests), or null when it cannot be read.</summary>
    public static int? CurrentThreadNice() => OperatingSystem.IsLinux() ? ReadNice("/proc/thread-self/stat") : null;

    private static bool SetNice(int? threadId, int nice, out string? error)
    {
        error = null;
        if (!OperatingSystem.IsLinux())
        {
            error = "thread nice values are set on Linux only";
            return false;
        }
        try
        {
            if (setpriority(PrioProcess, threadId ?? gettid(), nice) == 0)
                return true;
            // EACCES/EPERM: lowering the nice value needs root, CAP_SYS_NICE or an RLIMIT_NICE that allows it.
            error = $"setpriority({nice}) failed: {Marshal.GetLastPInvokeErrorMessage()}";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            error = $"setpriority is not available: {e.Message}";
        }
        return false;
    }

    // Field 19 of a thread's stat is its nice value; field 2 (comm) may hold spaces, so count after ')'.
    private static int? ReadNice(string statPath)
    {
        try
        {
            var stat = File.ReadAllText(statPath);
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.TryParse(fields[16], out int nice) ? nice : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    [LibraryImport(Libc, SetLastError = true)]
    private static partial int setpriority(int which, int who, int prio);

    [LibraryImport(Libc)]
    private static partial int gettid();
}
