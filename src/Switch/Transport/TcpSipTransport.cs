using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Hotline.Switch.Sip;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Transport;

/// <summary>
/// SIP over TCP (RFC 3261 §18.3): Content-Length framing, CRLF keep-alives (RFC 5626 §3.5.1),
/// connection reuse in both directions, idle connections closed. A truncated or oversized stream
/// closes that connection and nothing else.
/// </summary>
public sealed class TcpSipTransport : IDisposable
{
    private readonly Socket _listener;
    private readonly SipIngress _ingress;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _idleTimeout;
    private readonly ConcurrentDictionary<long, TcpConnection> _byId = new();
    private readonly ConcurrentDictionary<IPEndPoint, TcpConnection> _byRemote = new();
    private ITimer? _sweep;
    private CancellationToken _stop;

    public TcpSipTransport(IPEndPoint bind, SipIngress ingress, TimeProvider time, TimeSpan idleTimeout, ILogger logger)
    {
        _ingress = ingress;
        _logger = logger;
        _time = time;
        _idleTimeout = idleTimeout;
        _listener = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(bind);
        _listener.Listen(512);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public int ConnectionCount => _byId.Count;

    /// <summary>Raised when an asynchronous send (on a connection still being opened) fails.</summary>
    public Action<SipMessage>? SendFailed { get; set; }

    public Task Start(CancellationToken stop)
    {
        _stop = stop;
        var sweepEvery = _idleTimeout < TimeSpan.FromSeconds(30) ? _idleTimeout / 2 : TimeSpan.FromSeconds(15);
        _sweep = _time.CreateTimer(_ => SweepIdle(), null, sweepEvery, sweepEvery);
        return Task.Run(() => AcceptLoop(stop), stop);
    }

    private async Task AcceptLoop(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(stop);
            }
            catch (OperationCanceledException) { break; }
            catch (ObjectDisposedException) { break; }
            catch (SocketException e)
            {
                _logger.LogDebug("TCP accept error {Error}", e.SocketErrorCode);
                continue;
            }
            var connection = new TcpConnection(socket, (IPEndPoint)socket.RemoteEndPoint!, _time.GetTimestamp());
            Register(connection);
            _ = Task.Run(() => ReadLoop(connection, stop), stop);
        }
    }

    private void Register(TcpConnection connection)
    {
        _byId[connection.Id] = connection;
        _byRemote[connection.Remote] = connection;
    }

    private void Forget(TcpConnection connection)
    {
        connection.Dispose();
        _byId.TryRemove(connection.Id, out _);
        _byRemote.TryRemove(new KeyValuePair<IPEndPoint, TcpConnection>(connection.Remote, connection));
    }

    private async Task ReadLoop(TcpConnection connection, CancellationToken stop)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var filled = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (filled == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var n = await connection.Socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, stop);
                if (n == 0) break; // peer closed; a partial message left in the buffer is dropped
                filled += n;
                connection.Touch(_time.GetTimestamp());
                var consumed = 0;
                while (true)
                {
                    var result = SipFraming.Next(buffer.AsSpan(consumed, filled - consumed), out var length, out var pong);
                    if (result == SipFraming.Result.NeedMore) break;
                    if (result == SipFraming.Result.TooLarge)
                    {
                        _logger.LogWarning("closing TCP connection from {Remote}: message larger than {Max} bytes", connection.Remote, SipMessage.MaxSize);
                        return;
                    }
                    if (result == SipFraming.Result.KeepAlive)
                    {
                        if (pong) connection.Send("\r\n"u8, _time.GetTimestamp());
                    }
                    else
                    {
                        _ingress.Handle(buffer.AsSpan(consumed, length), connection.Source);
                    }
                    consumed += length;
                }
                if (consumed > 0)
                {
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            _logger.LogDebug("TCP connection {Remote} ended: {Error}", connection.Remote, e.Message);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "TCP read loop for {Remote} failed", connection.Remote);
        }
        finally
        {
            if (filled > 0) _logger.LogDebug("TCP connection {Remote} closed with {Bytes} unframed bytes", connection.Remote, filled);
            ArrayPool<byte>.Shared.Return(buffer);
            Forget(connection);
        }
    }

    /// <summary>
    /// Sends over the connection the destination names, else over any open connection to that
    /// address, else over a new connection (opened asynchronously; a failure raises <see cref="SendFailed"/>).
    /// </summary>
    public bool Send(SipMessage message, SipEndPoint destination)
    {
        var now = _time.GetTimestamp();
        if (destination.ConnectionId != 0 && _byId.TryGetValue(destination.ConnectionId, out var byId) && byId.Send(message.Bytes, now))
            return true;
        if (_byRemote.TryGetValue(destination.EndPoint, out var existing) && existing.Send(message.Bytes, now))
            return true;
        _ = ConnectAndSend(message, destination.EndPoint);
        return true;
    }

    private async Task ConnectAndSend(SipMessage message, IPEndPoint remote)
    {
        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(remote, timeout.Token);
            var connection = new TcpConnection(socket, remote, _time.GetTimestamp());
            Register(connection);
            _ = Task.Run(() => ReadLoop(connection, _stop), _stop);
            if (!connection.Send(message.Bytes, _time.GetTimestamp())) SendFailed?.Invoke(message);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Dispose();
            _logger.LogDebug("TCP connect to {Remote} failed: {Error}", remote, e.Message);
            SendFailed?.Invoke(message);
        }
    }

    private void SweepIdle()
    {
        var now = _time.GetTimestamp();
        foreach (var connection in _byId.Values)
        {
            if (_time.GetElapsedTime(connection.LastActivity, now) > _idleTimeout)
            {
                _logger.LogDebug("closing idle TCP connection {Remote}", connection.Remote);
                Forget(connection);
            }
        }
    }

    public void Dispose()
    {
        _sweep?.Dispose();
        _listener.Dispose();
        foreach (var c in _byId.Values) c.Dispose();
    }
}
