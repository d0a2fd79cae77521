using System.Runtime.InteropServices;

namespace Hotline.MediaLoad;

/// <summary>
/// sendmmsg(2)/recvmmsg(2): many datagrams per system call, each with its own destination. Only the
/// generator uses them, so that its own cost per packet stays small next to the engine's on a machine
/// with two cores (the engine does one receive and one send per packet, as a media server must with a
/// socket per leg). Buffers live in native memory; layouts are those of x86-64 and arm64 Linux.
/// </summary>
internal static unsafe partial class Mmsg
{
    public const int MsgDontWait = 0x40;
    public const int MessageHeaderSize = 64;   // struct mmsghdr: msghdr (56) + msg_len (4) + padding
    public const int ControlBytes = 64;        // room for one SCM_TIMESTAMPNS control message
    public const int AddressBytes = 16;        // struct sockaddr_in
    public const int SolSocket = 1;
    public const int SoTimestampNs = 35;       // SO_TIMESTAMPNS: the kernel's receive time as a timespec
    private const int IovecSize = 16;

    [LibraryImport("libc.so.6")]
    public static partial int usleep(uint microseconds);

    [LibraryImport("libc.so.6", SetLastError = true)]
    public static partial int sendmmsg(int fd, byte* messages, uint count, int flags);

    [LibraryImport("libc.so.6", SetLastError = true)]
    public static partial int recvmmsg(int fd, byte* messages, uint count, int flags, void* timeout);

    /// <summary>Fills header <paramref name="index"/>: one buffer, and an address (null on receive).</summary>
    public static void Set(byte* headers, byte* iovecs, int index, byte* buffer, int length, byte* address, int addressLength)
    {
        byte* iov = iovecs + index * IovecSize;
        *(byte**)iov = buffer;
        *(nint*)(iov + 8) = length;
        byte* header = headers + index * MessageHeaderSize;
        new Span<byte>(header, MessageHeaderSize).Clear();
        *(byte**)header = address;                 // msg_name
        *(int*)(header + 8) = addressLength;       // msg_namelen
        *(byte**)(header + 16) = iov;              // msg_iov
        *(nint*)(header + 24) = 1;                 // msg_iovlen
    }

    /// <summary>Bytes received into message <paramref name="index"/> (msg_len).</summary>
    public static int Length(byte* headers, int index) => *(int*)(headers + index * MessageHeaderSize + 56);

    /// <summary>
    /// Readies message <paramref name="index"/> for a receive: its control buffer and the room for the source
    /// address (again before every receive: the kernel shrinks both lengths to what it wrote).
    /// </summary>
    public static void Rearm(byte* headers, int index, byte* control)
    {
        byte* header = headers + index * MessageHeaderSize;
        *(int*)(header + 8) = AddressBytes;        // msg_namelen
        *(byte**)(header + 32) = control;          // msg_control
        *(nint*)(header + 40) = ControlBytes;      // msg_controllen
    }

    /// <summary>The source port of message <paramref name="index"/> (struct sockaddr_in: family, then the port in network order).</summary>
    public static int SourcePort(byte* headers, int index)
    {
        byte* address = *(byte**)(headers + index * MessageHeaderSize);
        return address[2] << 8 | address[3];
    }

    /// <summary>
    /// The kernel's arrival time of message <paramref name="index"/> in Unix nanoseconds (SCM_TIMESTAMPNS),
    /// or 0 when it carries none. struct cmsghdr: length (8), level (4), type (4), then the timespec.
    /// </summary>
    public static long ArrivalNanoseconds(byte* headers, int index)
    {
        byte* header = headers + index * MessageHeaderSize;
        byte* control = *(byte**)(header + 32);
        nint length = *(nint*)(header + 40);
        if (control == null || length < 32 || *(int*)(control + 8) != SolSocket || *(int*)(control + 12) != SoTimestampNs)
            return 0;
        return *(long*)(control + 16) * 1_000_000_000 + *(long*)(control + 24);
    }

    public static byte* Alloc(int bytes)
    {
        var memory = (byte*)NativeMemory.AllocZeroed((nuint)bytes);
        return memory;
    }

    public static void Free(byte* memory) => NativeMemory.Free(memory);
}
