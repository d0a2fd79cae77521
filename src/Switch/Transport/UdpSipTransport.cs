using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Hotline.Switch.Sip;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Transport;

/// <summary>
/// SIP over UDP (RFC 3261 §18): one socket, a few receive loops on it. A socket error on receive
/// (such as the ICMP port-unreachable Windows reports as ConnectionReset) fails nothing but that
/// one datagram; the loop keeps receiving.
/// </summary>
public sealed class UdpSipTransport : IDisposable
{
    private readonly Socket _socket;
    private readonly SipIngress _ingress;
    private readonly ILogger _logger;
    private long _sendErrors;

    public UdpSipTransport(IPEndPoint bind, SipIngress ingress, ILogger logger)
    {
        _ingress = ingress;
        _logger = logger;
        _socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _socket.SendBufferSize = 4 * 1024 * 1024;
        if (OperatingSystem.IsWindows())
        {
            const int SioUdpConnReset = -1744830452;
            _socket.IOControl(SioUdpConnReset, [0, 0, 0, 0], null);
        }
        _socket.Bind(bind);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public long SendErrors => Interlocked.Read(ref _sendErrors);

    // Linux getsockopt(SOL_SOCKET, SO_MEMINFO): u32 counters, [0] SK_MEMINFO_RMEM_ALLOC, [1] SK_MEMINFO_RCVBUF.
    private const int SolSocket = 1;
    private const int SoMemInfo = 55;
    private const int MemInfoVars = 9;

    /// <summary>
    /// How full the kernel's receive queue for this socket is, 0 to 1: datagrams that arrived and no receive
    /// loop has read yet (counted in the kernel's buffer bytes, overhead included). A switch that falls behind
    /// builds its backlog here before any thread sees it, so overload control watches it. Null where the
    /// platform does not tell (SO_MEMINFO is Linux's).
    /// </summary>
    public double? ReceiveQueueFill
    {
        get
        {
            if (!OperatingSystem.IsLinux()) return null;
            Span<uint> info = stackalloc uint[MemInfoVars];
            try
            {
                if (_socket.GetRawSocketOption(SolSocket, SoMemInfo, MemoryMarshal.AsBytes(info)) < 2 * sizeof(uint) || info[1] == 0) return null;
                return Math.Min(1.0, (double)info[0] / info[1]);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return null;
            }
        }
    }

    public Task[] Start(int loops, CancellationToken stop) =>
        Enumerable.Range(0, Math.Max(1, loops)).Select(_ => Task.Run(() => ReceiveLoop(stop), stop)).ToArray();

    private async Task ReceiveLoop(CancellationToken stop)
    {
        // One byte more than the largest message we accept, so an oversized datagram is recognised.
        var buffer = GC.AllocateUninitializedArray<byte>(SipMessage.MaxSize + 1, pinned: true);
        var address = new SocketAddress(_socket.AddressFamily);
        while (!stop.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, address, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException e)
            {
                // ICMP errors from an earlier send surface here on some platforms: that send failed, nothing else.
                _logger.LogDebug("UDP receive error {Error} ignored", e.SocketErrorCode);
                continue;
            }
            var remote = (IPEndPoint)LocalEndPoint.Create(address);
            var source = new SipEndPoint(SipTransportKind.Udp, remote);
            if (received > SipMessage.MaxSize)
            {
                _logger.LogWarning("dropped a datagram larger than {Max} bytes from {Source}", SipMessage.MaxSize, source);
                continue;
            }
            _ingress.Handle(buffer.AsSpan(0, received), source);
        }
    }

    public bool Send(ReadOnlySpan<byte> data, IPEndPoint to)
    {
        try
        {
            _socket.SendTo(data, SocketFlags.None, to);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Interlocked.Increment(ref _sendErrors);
            _logger.LogDebug("UDP send to {To} failed: {Error}", to, e.Message);
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();
}
