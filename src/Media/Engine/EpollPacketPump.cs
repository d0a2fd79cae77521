using System.Net;
using System.Net.Sockets;

namespace Hotline.Media.Engine;

/// <summary>
/// A worker's own epoll set (Linux): every RTP and RTCP socket of its legs, level-triggered, plus an
/// eventfd that other threads signal to wake it. One epoll_wait returns all ready sockets; each gets one
/// recvfrom (<see cref="LinuxUdp"/>, not through the runtime's socket layer), and the packet is processed
/// (relayed, counted, buffered) at once on this thread. A socket with several datagrams queued stays ready
/// and is read again on the next round. Per packet this costs the receive call and nothing else: no thread
/// hop, no queue, no allocation.
/// </summary>
internal sealed class EpollPacketPump : PacketPump
{
    private const int MaxEvents = 256;
    private const ulong WakeToken = ulong.MaxValue;

    private readonly int _epoll;
    private readonly int _eventFd;
    private readonly byte[] _events = new byte[MaxEvents * LinuxEpoll.EventSize];
    private readonly byte[] _buffer = new byte[2048];
    private readonly SocketAddress _v4 = new(AddressFamily.InterNetwork);
    private readonly SocketAddress _v6 = new(AddressFamily.InterNetworkV6);
    private readonly Stack<int> _free = new();
    private Entry[] _entries = new Entry[64];
    private int _used;
    private int _wakePending;
    private bool _disposed;

    private struct Entry
    {
        public RtpLeg? Leg;
        public Socket? Socket;
        public SafeSocketHandle? Handle; // read once at registration, not per packet
        public bool Rtcp;
        public bool V6;
    }

    public EpollPacketPump()
    {
        _epoll = LinuxEpoll.Create();
        _eventFd = LinuxEpoll.CreateEventFd();
        LinuxEpoll.Add(_epoll, _eventFd, WakeToken);
    }

    /// <summary>Receives that failed (a datagram gone, or an ICMP error queued on the socket).</summary>
    public long ReceiveErrors { get; private set; }

    public override void Register(RtpLeg leg, RtpSocketPair sockets)
    {
        sockets.RtpSlot = Add(leg, sockets.Rtp, rtcp: false);
        sockets.RtcpSlot = Add(leg, sockets.Rtcp, rtcp: true);
    }

    public override void Unregister(RtpLeg leg, RtpSocketPair sockets)
    {
        Remove(sockets.RtpSlot);
        Remove(sockets.RtcpSlot);
        sockets.RtpSlot = sockets.RtcpSlot = -1;
    }

    public override void Wait(TimeSpan timeout, MediaWorker worker)
    {
        int milliseconds = (int)Math.Clamp(Math.Ceiling(timeout.TotalMilliseconds), 0, 1000);
        int ready = LinuxEpoll.Wait(_epoll, _events, milliseconds);
        Waits++;
        for (int i = 0; i < ready; i++)
        {
            ulong token = LinuxEpoll.EventData(_events, i);
            if (token == WakeToken)
            {
                LinuxEpoll.Drain(_eventFd);
                Interlocked.Exchange(ref _wakePending, 0);
                continue;
            }
            ref Entry entry = ref _entries[(int)token];
            var socket = entry.Socket;
            if (socket is null)
                continue;
            var address = entry.V6 ? _v6 : _v4;
            int length = LinuxUdp.ReceiveFrom(entry.Handle!, _buffer, address);
            if (length < 0)
            {
                // EAGAIN: the datagram went (e.g. dropped by a checksum); EBADF: the socket closed meanwhile.
                if (length != -LinuxUdp.EAgain && length != -LinuxUdp.EBadF)
                    ReceiveErrors++;
                continue;
            }
            Datagrams++;
            worker.Dispatch(entry.Leg!, entry.Rtcp, _buffer.AsSpan(0, length), address, worker.Now);
        }
    }

    public override void Wake()
    {
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
            LinuxEpoll.Signal(_eventFd);
    }

    public override void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        LinuxEpoll.Close(_eventFd);
        LinuxEpoll.Close(_epoll);
    }

    private int Add(RtpLeg leg, Socket socket, bool rtcp)
    {
        if (!_free.TryPop(out int slot))
        {
            if (_used == _entries.Length)
                Array.Resize(ref _entries, _entries.Length * 2);
            slot = _used++;
        }
        var handle = socket.SafeHandle;
        _entries[slot] = new Entry { Leg = leg, Socket = socket, Handle = handle, Rtcp = rtcp, V6 = socket.AddressFamily == AddressFamily.InterNetworkV6 };
        LinuxEpoll.Add(_epoll, (int)handle.DangerousGetHandle(), (ulong)slot);
        return slot;
    }

    private void Remove(int slot)
    {
        if (slot < 0)
            return;
        var socket = _entries[slot].Socket;
        _entries[slot] = default;
        _free.Push(slot);
        if (socket is null || socket.SafeHandle.IsClosed)
            return; // closing the descriptor already took it out of the set
        try
        {
            LinuxEpoll.Remove(_epoll, (int)socket.SafeHandle.DangerousGetHandle());
        }
        catch (InvalidOperationException)
        {
            // Closed between the check and the call: the kernel removed it with the descriptor.
        }
    }
}
