namespace Hotline.Media.Engine;

/// <summary>
/// How one worker learns that datagrams arrived on its legs' sockets and gets them. The worker thread
/// calls <see cref="Wait"/> in its loop with the time left until its next tick; the pump returns after
/// dispatching whatever arrived (through <see cref="MediaWorker.Dispatch"/>), on a <see cref="Wake"/>, or
/// at the timeout. Register and Unregister run on the worker thread.
/// </summary>
internal abstract class PacketPump : IDisposable
{
    /// <summary>Calls to <see cref="Wait"/> (each a system call or an event wait; fewer per datagram is cheaper).</summary>
    public long Waits { get; protected set; }

    /// <summary>Datagrams read and dispatched.</summary>
    public long Datagrams { get; protected set; }

    public abstract void Register(RtpLeg leg, RtpSocketPair sockets);

    public abstract void Unregister(RtpLeg leg, RtpSocketPair sockets);

    /// <summary>Waits up to <paramref name="timeout"/> for packets or a wake-up, and dispatches the packets.</summary>
    public abstract void Wait(TimeSpan timeout, MediaWorker worker);

    /// <summary>Makes a <see cref="Wait"/> in progress (or the next one) return at once. Any thread.</summary>
    public abstract void Wake();

    public abstract void Dispose();

    /// <summary>The pump for <paramref name="mode"/>; Auto picks epoll where it exists.</summary>
    public static PacketPump Create(PacketReceiveMode mode)
    {
        if (mode == PacketReceiveMode.Epoll || (mode == PacketReceiveMode.Auto && LinuxEpoll.IsSupported))
            return new EpollPacketPump();
        return new AsyncPacketPump();
    }

    /// <summary>The mode <paramref name="mode"/> resolves to on this platform.</summary>
    public static PacketReceiveMode Resolve(PacketReceiveMode mode) =>
        mode == PacketReceiveMode.Auto ? (LinuxEpoll.IsSupported ? PacketReceiveMode.Epoll : PacketReceiveMode.AsyncReceive) : mode;
}
