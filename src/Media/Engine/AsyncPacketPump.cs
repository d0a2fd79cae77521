using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Hotline.Media.Engine;

/// <summary>
/// Portable socket reading: one asynchronous receive loop per socket on the runtime's socket engine
/// (epoll, kqueue or IOCP underneath). Each completion runs on a thread-pool thread, stamps the arrival
/// time, and queues the datagram (a pooled buffer) to the worker that owns the leg then, waking it if it
/// sleeps; the worker processes its queue in order. The loops follow a leg that moves to another worker
/// and end when its sockets close. Costs a thread hop and a wake-up per burst on top of the receive.
/// </summary>
internal sealed class AsyncPacketPump : PacketPump
{
    private static readonly ConcurrentQueue<ReceivedPacket> s_pool = new();

    private readonly ConcurrentQueue<ReceivedPacket> _queue = new();
    private readonly ManualResetEventSlim _signal = new(false, spinCount: 1);
    private int _wakePending;

    public override void Register(RtpLeg leg, RtpSocketPair sockets)
    {
        if (sockets.LoopsStarted)
            return;
        sockets.LoopsStarted = true;
        _ = ReceiveLoop(leg, sockets.Rtp, rtcp: false);
        _ = ReceiveLoop(leg, sockets.Rtcp, rtcp: true);
    }

    // The loops route by the leg's current worker, so nothing moves with it.
    public override void Unregister(RtpLeg leg, RtpSocketPair sockets)
    {
    }

    public override void Wait(TimeSpan timeout, MediaWorker worker)
    {
        if (_queue.IsEmpty && timeout > TimeSpan.Zero)
            _signal.Wait(timeout);
        Waits++;
        _signal.Reset();
        Interlocked.Exchange(ref _wakePending, 0);
        while (_queue.TryDequeue(out var packet))
        {
            var owner = packet.Leg!.Worker;
            if (owner != worker)
            {
                // The leg moved while its packet waited here: hand it on, in order, to its new worker.
                if (owner?.Pump is AsyncPacketPump other)
                    other.Enqueue(packet);
                else
                    Return(packet);
                continue;
            }
            Datagrams++;
            worker.Dispatch(packet.Leg, packet.Rtcp, packet.Buffer.AsSpan(0, packet.Length), packet.Source, packet.Arrival);
            Return(packet);
        }
    }

    public override void Wake()
    {
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
            _signal.Set();
    }

    public override void Dispose() => _signal.Dispose();

    private void Enqueue(ReceivedPacket packet)
    {
        _queue.Enqueue(packet);
        Wake();
    }

    private static async Task ReceiveLoop(RtpLeg leg, Socket socket, bool rtcp)
    {
        while (!socket.SafeHandle.IsClosed)
        {
            var packet = Rent(socket.AddressFamily);
            try
            {
                packet.Length = await socket.ReceiveFromAsync(packet.Buffer, SocketFlags.None, packet.Source).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                Return(packet);
                return;
            }
            catch (SocketException e)
            {
                Return(packet);
                // Closed: the loop ends. Otherwise an error queued on the socket (an ICMP unreachable is
                // reported as ConnectionReset on Windows): drop it and keep receiving.
                if (e.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted or SocketError.NotSocket)
                    return;
                continue;
            }
            if (leg.Worker?.Pump is not AsyncPacketPump pump)
            {
                Return(packet);
                continue;
            }
            packet.Leg = leg;
            packet.Rtcp = rtcp;
            packet.Arrival = leg.Context.Now;
            pump.Enqueue(packet);
        }
    }

    private static ReceivedPacket Rent(AddressFamily family)
    {
        if (s_pool.TryDequeue(out var packet) && packet.Source.Family == family)
            return packet;
        if (packet is not null)
            s_pool.Enqueue(packet);
        return new ReceivedPacket(family);
    }

    private static void Return(ReceivedPacket packet)
    {
        packet.Leg = null;
        s_pool.Enqueue(packet);
    }

    private sealed class ReceivedPacket(AddressFamily family)
    {
        public readonly byte[] Buffer = new byte[2048];
        public readonly SocketAddress Source = new(family);
        public RtpLeg? Leg;
        public bool Rtcp;
        public int Length;
        public TimeSpan Arrival;
    }
}
