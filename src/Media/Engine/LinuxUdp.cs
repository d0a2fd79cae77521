using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Hotline.Media.Engine;

/// <summary>
/// recvfrom(2) and sendto(2) on an RTP socket's descriptor, for the media path on Linux. Every relayed packet is
/// one receive and one send; through <see cref="Socket"/> each also pays the runtime's socket layer (state
/// checks, a message header built per call, error translation), about 0.6 µs a pair on this machine, a tenth
/// of the pair's cost. The socket's handle is still held (reference-counted) for the length of each call, so a
/// socket closed on another thread fails the call instead of its descriptor number being reused underneath it.
/// The address is read and written in <see cref="SocketAddress"/>'s buffer, which holds the native sockaddr.
/// </summary>
internal static unsafe partial class LinuxUdp
{
    public const int EAgain = 11;
    public const int EBadF = 9;
    private const string Libc = "libc.so.6";

    /// <summary>True where the pump is epoll's (Linux with glibc): the same library answers these calls.</summary>
    public static bool IsSupported => LinuxEpoll.IsSupported;

    /// <summary>Reads one datagram into <paramref name="buffer"/> and its source into <paramref name="source"/>:
    /// its length, or minus the errno (-<see cref="EAgain"/> when none is waiting).</summary>
    public static int ReceiveFrom(SafeHandle socket, Span<byte> buffer, SocketAddress source)
    {
        bool held = false;
        try
        {
            socket.DangerousAddRef(ref held);
            var name = source.Buffer.Span;
            int nameLength = name.Length;
            nint received;
            fixed (byte* data = buffer)
            fixed (byte* address = name)
                received = recvfrom((int)socket.DangerousGetHandle(), data, buffer.Length, 0, address, &nameLength);
            if (received < 0)
                return -Marshal.GetLastPInvokeError();
            source.Size = Math.Min(nameLength, name.Length);
            return (int)received;
        }
        catch (ObjectDisposedException)
        {
            return -EBadF;
        }
        finally
        {
            if (held)
                socket.DangerousRelease();
        }
    }

    /// <summary>Sends <paramref name="packet"/> to <paramref name="destination"/>; false when refused (buffer full,
    /// an ICMP error queued on the socket, the socket closed).</summary>
    public static bool SendTo(SafeHandle socket, ReadOnlySpan<byte> packet, SocketAddress destination)
    {
        bool held = false;
        try
        {
            socket.DangerousAddRef(ref held);
            nint sent;
            fixed (byte* data = packet)
            fixed (byte* address = destination.Buffer.Span)
                sent = sendto((int)socket.DangerousGetHandle(), data, packet.Length, 0, address, destination.Size);
            return sent == packet.Length;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (held)
                socket.DangerousRelease();
        }
    }

    [LibraryImport(Libc, SetLastError = true)]
    private static partial nint recvfrom(int fd, byte* buffer, nint length, int flags, byte* address, int* addressLength);

    [LibraryImport(Libc, SetLastError = true)]
    private static partial nint sendto(int fd, byte* buffer, nint length, int flags, byte* address, int addressLength);
}
