using System.Net;
using System.Net.Sockets;
using Hotline.Media.Rtp;

namespace Hotline.Media.Engine;

/// <summary>
/// A leg's two UDP sockets: RTP on an even port, RTCP on the odd one above (RFC 3550 §11). Non-blocking:
/// the worker reads them only when its pump says they are ready. Sends are sendto(2) on Linux
/// (<see cref="LinuxUdp"/>) and the allocation-free SocketAddress overloads elsewhere. A refused send
/// (buffer full, ICMP unreachable reported on the socket) is reported as false, never thrown: a peer that
/// went away must not stop the worker.
/// </summary>
internal sealed class RtpSocketPair : IRtpSink, IDisposable
{
    private readonly RtpPortAllocator _allocator;
    private readonly SafeSocketHandle _rtpHandle;  // read once here, not per packet sent
    private readonly SafeSocketHandle _rtcpHandle;
    private int _disposed;

    private RtpSocketPair(Socket rtp, Socket rtcp, int port, RtpPortAllocator allocator)
    {
        Rtp = rtp;
        Rtcp = rtcp;
        RtpPort = port;
        _allocator = allocator;
        _rtpHandle = rtp.SafeHandle;
        _rtcpHandle = rtcp.SafeHandle;
    }

    public Socket Rtp { get; }
    public Socket Rtcp { get; }
    public int RtpPort { get; }
    public int RtcpPort => RtpPort + 1;
    public AddressFamily Family => Rtp.AddressFamily;

    /// <summary>Slots of the sockets in the owning worker's epoll set (see <see cref="EpollPacketPump"/>).</summary>
    internal int RtpSlot { get; set; } = -1;
    internal int RtcpSlot { get; set; } = -1;

    /// <summary>The asynchronous receive loops run (see <see cref="AsyncPacketPump"/>); they follow the leg from worker to worker.</summary>
    internal bool LoopsStarted { get; set; }

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// Binds a pair from <paramref name="allocator"/>. A pair another process holds is skipped (and handed
    /// back afterwards, so it is tried again later); throws <see cref="MediaPortsExhaustedException"/> when none binds.
    /// </summary>
    public static RtpSocketPair Open(RtpPortAllocator allocator, IPAddress bindAddress, int receiveBufferBytes)
    {
        List<int>? busy = null;
        try
        {
            for (int attempt = 0; attempt < allocator.Capacity; attempt++)
            {
                if (!allocator.TryAllocate(out int port))
                    break;
                var rtp = TryBind(bindAddress, port, receiveBufferBytes);
                var rtcp = rtp is null ? null : TryBind(bindAddress, port + 1, 16 * 1024);
                if (rtp is not null && rtcp is not null)
                    return new RtpSocketPair(rtp, rtcp, port, allocator);
                rtp?.Dispose();
                (busy ??= []).Add(port);
                if (busy.Count >= 64)
                    break;
            }
        }
        finally
        {
            if (busy is not null)
                foreach (int port in busy)
                    allocator.Release(port);
        }
        throw new MediaPortsExhaustedException(
            $"no free RTP/RTCP port pair in {allocator.MinPort}-{allocator.MaxPort} ({allocator.InUse} of {allocator.Capacity} pairs in use)");
    }

    public bool SendRtp(ReadOnlySpan<byte> packet, SocketAddress destination) => Send(Rtp, _rtpHandle, packet, destination);

    public bool SendRtcp(ReadOnlySpan<byte> packet, SocketAddress destination) => Send(Rtcp, _rtcpHandle, packet, destination);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        Rtp.Dispose();
        Rtcp.Dispose();
        _allocator.Release(RtpPort);
    }

    private static bool Send(Socket socket, SafeSocketHandle handle, ReadOnlySpan<byte> packet, SocketAddress destination)
    {
        if (LinuxUdp.IsSupported)
            return LinuxUdp.SendTo(handle, packet, destination);
        try
        {
            return socket.SendTo(packet, SocketFlags.None, destination) == packet.Length;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private static Socket? TryBind(IPAddress address, int port, int receiveBufferBytes)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.Equals(IPAddress.IPv6Any))
                socket.DualMode = true;
            socket.ReceiveBufferSize = receiveBufferBytes;
            socket.Bind(new IPEndPoint(address, port));
            socket.Blocking = false;
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }
}
