using System.Net;
using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Transport;

/// <summary>
/// The UDP and TCP listeners on one address and port, and the routing of outgoing messages
/// to them (RFC 3261 §18).
/// </summary>
public sealed class SipTransports : ISipSender, IDisposable
{
    private readonly SipOptions _options;
    private readonly ILogger _trace;
    private readonly List<Task> _loops = [];

    public SipTransports(SipOptions options, SipIngress ingress, TimeProvider time, ILoggerFactory loggers)
    {
        _options = options;
        _trace = loggers.CreateLogger("Hotline.Switch.Trace");
        var logger = loggers.CreateLogger("Hotline.Switch.Transport");
        var bind = new IPEndPoint(IPAddress.Parse(options.ListenAddress), options.Port);
        Udp = new UdpSipTransport(bind, ingress, logger);
        // Port 0 in tests: TCP takes the port UDP was given, so both share one number as §18 expects.
        Tcp = new TcpSipTransport(new IPEndPoint(bind.Address, Udp.LocalEndPoint.Port), ingress, time,
            TimeSpan.FromSeconds(options.TcpIdleTimeoutSeconds), logger);
        ingress.SendDirect = Send;
    }

    public UdpSipTransport Udp { get; }
    public TcpSipTransport Tcp { get; }

    /// <summary>The port both listeners are bound to.</summary>
    public int Port => Udp.LocalEndPoint.Port;

    public void Start(CancellationToken stop)
    {
        var loops = _options.UdpReceiveLoops > 0 ? _options.UdpReceiveLoops : Environment.ProcessorCount;
        _loops.AddRange(Udp.Start(loops, stop));
        _loops.Add(Tcp.Start(stop));
    }

    public bool Send(SipMessage message, SipEndPoint destination)
    {
        if (_options.Trace) _trace.LogInformation("send {Bytes} bytes to {Destination}\n{Message}", message.Length, destination, message.ToString());
        return destination.Transport switch
        {
            SipTransportKind.Udp => Udp.Send(message.Bytes, destination.EndPoint),
            SipTransportKind.Tcp => Tcp.Send(message, destination),
            _ => false,
        };
    }

    /// <summary>
    /// RFC 3261 §18.2.2 with RFC 3581: over TCP the connection the request came on; over UDP the
    /// source address (the "received" we add), and the source port when the client asked for rport,
    /// else the sent-by port.
    /// </summary>
    public SipEndPoint ResponseDestination(SipMessage request)
    {
        var source = request.Source ?? throw new InvalidOperationException("request has no source");
        if (source.IsReliable) return source;
        var via = request.TopVia;
        if (via.RPort >= 0) return source;
        var port = via.Port > 0 ? via.Port : 5060;
        return source with { EndPoint = new IPEndPoint(source.EndPoint.Address, port) };
    }

    public void Dispose()
    {
        Udp.Dispose();
        Tcp.Dispose();
    }
}
