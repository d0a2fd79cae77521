using System.Net;
using System.Net.Sockets;

namespace Hotline.TestKit;

/// <summary>
/// Hands out local ports that are free right now and never hands the same one out twice in this
/// run, so tests running side by side do not collide. Ports come from below Linux's ephemeral range
/// (32768–60999) so the kernel does not give them to someone's outgoing socket in the meantime.
/// A port counts as free when it can be bound on the wildcard address, which fails if anything
/// holds it on any local address (SIP peers here bind 127.0.0.1, svcrack binds 0.0.0.0).
/// </summary>
public static class FreePorts
{
    private const int First = 10000;
    private const int Last = 32000;
    private static readonly HashSet<int> s_given = [];
    private static readonly Lock s_lock = new();

    /// <summary>One port free for both UDP and TCP (a SIP listener: RFC 3261 §18 uses the same number for both).</summary>
    public static int UdpAndTcp() => Take(1, p => IsFree(p, ProtocolType.Udp) && IsFree(p, ProtocolType.Tcp));

    public static int Udp() => Take(1, p => IsFree(p, ProtocolType.Udp));

    /// <summary>SIPp's media ports: it binds the -mp port and the one two above it.</summary>
    public static int SippMedia() => Take(3, p => IsFree(p, ProtocolType.Udp) && IsFree(p + 2, ProtocolType.Udp));

    /// <summary>baresip's sip_listen port: UDP and TCP on it, and TLS on the next one.</summary>
    public static int Baresip() => Take(2, p => IsFree(p, ProtocolType.Udp) && IsFree(p, ProtocolType.Tcp) && IsFree(p + 1, ProtocolType.Tcp));

    /// <summary>A range of <paramref name="count"/> consecutive UDP ports (baresip's RTP ports).</summary>
    public static int UdpRange(int count) => Take(count, p => Enumerable.Range(p, count).All(q => IsFree(q, ProtocolType.Udp)));

    private static int Take(int span, Func<int, bool> isFree)
    {
        lock (s_lock)
        {
            // Every start from a random one onwards, so a run that has handed out many blocks (or a machine
            // with another switch's RTP ports bound) still finds the gaps that remain.
            var candidates = Last - span - First;
            var offset = Random.Shared.Next(candidates);
            for (var i = 0; i < candidates; i++)
            {
                var port = First + (offset + i) % candidates;
                if (Enumerable.Range(port, span).Any(s_given.Contains) || !isFree(port)) continue;
                for (var p = port; p < port + span; p++) s_given.Add(p);
                return port;
            }
        }
        throw new InvalidOperationException($"no free port block of {span} found in {First}-{Last}");
    }

    private static bool IsFree(int port, ProtocolType protocol)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, protocol == ProtocolType.Udp ? SocketType.Dgram : SocketType.Stream, protocol);
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            if (protocol == ProtocolType.Tcp) socket.Listen(1);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
