using System.Net;
using System.Net.Sockets;
using Hotline.Switch.Sip;

namespace Hotline.Switch.Transport;

/// <summary>One TCP connection, inbound or outbound. Writes are serialised by a lock; reads happen on its own loop.</summary>
internal sealed class TcpConnection : IDisposable
{
    private static long s_nextId;
    private readonly object _sendLock = new();
    private long _lastActivity;
    private int _closed;

    public TcpConnection(Socket socket, IPEndPoint remote, long now)
    {
        Socket = socket;
        Remote = remote;
        Id = Interlocked.Increment(ref s_nextId);
        Source = new SipEndPoint(SipTransportKind.Tcp, remote) { ConnectionId = Id };
        socket.NoDelay = true;
        socket.SendTimeout = 2000; // a stalled peer must not hold a sender for long
        _lastActivity = now;
    }

    public long Id { get; }
    public Socket Socket { get; }
    public IPEndPoint Remote { get; }
    public SipEndPoint Source { get; }
    public bool IsClosed => Volatile.Read(ref _closed) != 0;
    public long LastActivity => Interlocked.Read(ref _lastActivity);

    public void Touch(long now) => Interlocked.Exchange(ref _lastActivity, now);

    public bool Send(ReadOnlySpan<byte> data, long now)
    {
        if (IsClosed) return false;
        try
        {
            lock (_sendLock)
            {
                while (!data.IsEmpty)
                {
                    var n = Socket.Send(data, SocketFlags.None);
                    data = data[n..];
                }
            }
            Touch(now);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Dispose();
            return false;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        try { Socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        Socket.Dispose();
    }
}
