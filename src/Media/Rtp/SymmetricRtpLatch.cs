using System.Net;
using System.Net.Sockets;

namespace Hotline.Media.Rtp;

/// <summary>What <see cref="SymmetricRtpLatch.Observe"/> decided about a packet's source.</summary>
public enum RtpLatchDecision
{
    /// <summary>From the latched source: accept.</summary>
    Accepted,
    /// <summary>First packet from this source, now latched: accept and send our media there.</summary>
    Latched,
    /// <summary>The latched source was silent long enough; latched to this new one instead.</summary>
    Relatched,
    /// <summary>From another source while the latched one is alive: drop (and count).</summary>
    Rejected,
}

/// <summary>
/// Symmetric RTP ("comedia", RFC 4961 behaviour): send to wherever the peer's packets really come from,
/// not to the address in its SDP, which behind a NAT is a private one. The first packets latch the remote
/// endpoint; another source takes over only after the latched one has been silent for
/// <see cref="RelatchAfterSilence"/>, so a stray or spoofed packet cannot steal the media of a live call.
/// Per-packet work is an address compare; only latching allocates.
/// </summary>
public sealed class SymmetricRtpLatch
{
    private SocketAddress? _latchedAddress;
    private TimeSpan _lastFromLatched;

    /// <param name="signalledEndPoint">The endpoint from SDP, used until the first packet arrives (may be null: c=0.0.0.0).</param>
    /// <param name="relatchAfterSilence">How long the latched source must be silent before another may take over.</param>
    public SymmetricRtpLatch(IPEndPoint? signalledEndPoint, TimeSpan relatchAfterSilence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(relatchAfterSilence, TimeSpan.Zero);
        SignalledEndPoint = signalledEndPoint;
        RelatchAfterSilence = relatchAfterSilence;
    }

    public IPEndPoint? SignalledEndPoint { get; private set; }
    public TimeSpan RelatchAfterSilence { get; }

    /// <summary>Where the peer's packets come from, once latched.</summary>
    public IPEndPoint? LatchedEndPoint { get; private set; }

    /// <summary>Where to send: the latched source, else the signalled endpoint.</summary>
    public IPEndPoint? RemoteEndPoint => LatchedEndPoint ?? SignalledEndPoint;

    public bool IsLatched => _latchedAddress is not null;

    /// <summary>Packets from sources other than the latched one, dropped.</summary>
    public long RejectedPackets { get; private set; }

    /// <summary>Times the latch moved to a new source after silence.</summary>
    public int Relatches { get; private set; }

    /// <summary>Decides about one packet from <paramref name="source"/> (as filled in by <c>Socket.ReceiveFrom</c>).</summary>
    public RtpLatchDecision Observe(SocketAddress source, TimeSpan now)
    {
        if (_latchedAddress is null)
        {
            Latch(source, now);
            return RtpLatchDecision.Latched;
        }
        if (_latchedAddress.Equals(source))
        {
            _lastFromLatched = now;
            return RtpLatchDecision.Accepted;
        }
        if (now - _lastFromLatched >= RelatchAfterSilence)
        {
            Latch(source, now);
            Relatches++;
            return RtpLatchDecision.Relatched;
        }
        RejectedPackets++;
        return RtpLatchDecision.Rejected;
    }

    /// <summary>Convenience overload for callers holding an <see cref="IPEndPoint"/> (allocates).</summary>
    public RtpLatchDecision Observe(IPEndPoint source, TimeSpan now) => Observe(source.Serialize(), now);

    /// <summary>
    /// A re-INVITE changed the peer's SDP address: forget the latch so the next packets latch afresh
    /// (the old source may legitimately go silent at once).
    /// </summary>
    public void Reset(IPEndPoint? signalledEndPoint)
    {
        SignalledEndPoint = signalledEndPoint;
        _latchedAddress = null;
        LatchedEndPoint = null;
    }

    private void Latch(SocketAddress source, TimeSpan now)
    {
        var copy = new SocketAddress(source.Family, source.Size);
        source.Buffer.Span.Slice(0, source.Size).CopyTo(copy.Buffer.Span);
        _latchedAddress = copy;
        LatchedEndPoint = (IPEndPoint)new IPEndPoint(source.Family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0).Create(copy);
        _lastFromLatched = now;
    }
}
