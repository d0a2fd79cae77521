using System.Runtime.InteropServices;

namespace Hotline.Media.Engine;

/// <summary>
/// The few Linux calls a worker needs to wait on many sockets at once: epoll(7) and eventfd(2). The
/// runtime's own socket engine uses epoll too, but hands every completion to the thread pool; a media
/// worker that owns its epoll set reads ready sockets on its own thread with no hop in between.
/// struct epoll_event is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16 bytes), so it is
/// read and written as bytes at the platform's offsets.
/// </summary>
internal static unsafe partial class LinuxEpoll
{
    public const uint EpollIn = 0x001;
    public const int CtlAdd = 1;
    public const int CtlDel = 2;
    private const int EpollCloexec = 0x80000;
    private const int EfdCloexec = 0x80000;
    private const int EfdNonblock = 0x800;
    private const string Libc = "libc.so.6";

    /// <summary>Size of struct epoll_event on this platform.</summary>
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    /// <summary>Offset of its data member.</summary>
    public static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    private static readonly Lazy<bool> s_supported = new(Probe);

    /// <summary>True on Linux with a glibc that answers epoll_create1.</summary>
    public static bool IsSupported => s_supported.Value;

    public static int Create()
    {
        int fd = epoll_create1(EpollCloexec);
        return fd >= 0 ? fd : throw Error("epoll_create1");
    }

    public static int CreateEventFd()
    {
        int fd = eventfd(0, EfdCloexec | EfdNonblock);
        return fd >= 0 ? fd : throw Error("eventfd");
    }

    public static void Add(int epoll, int fd, ulong data) => Control(epoll, CtlAdd, fd, data);

    public static void Remove(int epoll, int fd) => Control(epoll, CtlDel, fd, 0);

    /// <summary>Waits for events; returns how many were written to <paramref name="events"/> (0 on timeout or a signal).</summary>
    public static int Wait(int epoll, Span<byte> events, int timeoutMilliseconds)
    {
        fixed (byte* buffer = events)
        {
            int n = epoll_wait(epoll, buffer, events.Length / EventSize, timeoutMilliseconds);
            // -1 is EINTR (the runtime uses signals, e.g. to suspend threads for GC): just wait again.
            return n < 0 ? 0 : n;
        }
    }

    public static ulong EventData(ReadOnlySpan<byte> events, int index) =>
        MemoryMarshal.Read<ulong>(events.Slice(index * EventSize + DataOffset, 8));

    public static void Signal(int eventFd)
    {
        ulong one = 1;
        _ = write(eventFd, (byte*)&one, 8);
    }

    public static void Drain(int eventFd)
    {
        ulong value;
        _ = read(eventFd, (byte*)&value, 8);
    }

    public static void Close(int fd) => _ = close(fd);

    private static void Control(int epoll, int op, int fd, ulong data)
    {
        byte* ev = stackalloc byte[16];
        new Span<byte>(ev, 16).Clear();
        *(uint*)ev = EpollIn;
        *(ulong*)(ev + DataOffset) = data;
        if (epoll_ctl(epoll, op, fd, ev) != 0)
            throw Error(op == CtlAdd ? "epoll_ctl(ADD)" : "epoll_ctl(DEL)");
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux())
            return false;
        try
        {
            int fd = epoll_create1(EpollCloexec);
            if (fd < 0)
                return false;
            _ = close(fd);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static InvalidOperationException Error(string call) =>
        new($"{call} failed: errno {Marshal.GetLastPInvokeError()}");

    [LibraryImport(Libc, SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport(Libc, SetLastError = true)]
    private static partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [LibraryImport(Libc)]
    private static partial int epoll_wait(int epfd, byte* events, int maxevents, int timeout);

    [LibraryImport(Libc, SetLastError = true)]
    private static partial int eventfd(uint initval, int flags);

    [LibraryImport(Libc)]
    private static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport(Libc)]
    private static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport(Libc)]
    private static partial int close(int fd);
}
