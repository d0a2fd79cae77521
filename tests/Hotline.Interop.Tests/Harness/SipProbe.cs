using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hotline.Interop.Tests.Harness;

/// <summary>
/// A raw SIP client on its own UDP socket (127.0.0.1, a port the kernel picks): sends any bytes,
/// well formed or not, and reads what comes back, with bounded waits. For TCP, see <see cref="ConnectTcpAsync"/>.
/// </summary>
public sealed class SipProbe : IDisposable
{
    private readonly Socket _udp;
    private readonly IPEndPoint _target;

    public SipProbe(int port)
    {
        _target = new IPEndPoint(IPAddress.Loopback, port);
        _udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        LocalPort = ((IPEndPoint)_udp.LocalEndPoint!).Port;
    }

    public int LocalPort { get; }

    /// <summary>"UDP:127.0.0.1:port", the way the switch names this probe in its log.</summary>
    public string Source => $"UDP:127.0.0.1:{LocalPort}";

    public async Task SendAsync(byte[] datagram) => await _udp.SendToAsync(datagram, SocketFlags.None, _target);

    /// <summary>The next datagram that arrives within <paramref name="timeout"/>, as text; null when none does.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan timeout)
    {
        var buffer = new byte[65536];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var result = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cts.Token);
            return Encoding.UTF8.GetString(buffer, 0, result.ReceivedBytes);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Sends <paramref name="datagram"/> and returns the first answer within <paramref name="timeout"/>, or null.</summary>
    public async Task<string?> ExchangeAsync(byte[] datagram, TimeSpan timeout)
    {
        await SendAsync(datagram);
        return await ReceiveAsync(timeout);
    }

    public static async Task<Socket> ConnectTcpAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        return socket;
    }

    /// <summary>
    /// Reads from <paramref name="socket"/> until the peer closes it (true) or <paramref name="timeout"/>
    /// passes with the connection still open (false). A reset counts as closed. What was read is returned too.
    /// </summary>
    public static async Task<(bool Closed, string Received)> ReadUntilClosedAsync(Socket socket, TimeSpan timeout)
    {
        var received = new StringBuilder();
        var buffer = new byte[65536];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                if (n == 0) return (true, received.ToString());
                received.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }
        catch (OperationCanceledException)
        {
            return (false, received.ToString());
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return (true, received.ToString());
        }
    }

    /// <summary>Reads one SIP message (headers and Content-Length body) from a TCP stream within <paramref name="timeout"/>; null when none comes.</summary>
    public static async Task<string?> ReadMessageAsync(Socket socket, TimeSpan timeout)
    {
        var received = new StringBuilder();
        var buffer = new byte[8192];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var text = received.ToString();
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end >= 0 && text.Length >= end + 4 + SipText.ContentLength(text)) return text;
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                if (n == 0) return null;
                received.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose() => _udp.Dispose();
}

/// <summary>Builds the test's own SIP requests and reads responses, as plain text.</summary>
public static class SipText
{
    /// <summary>
    /// A request from the probe at <paramref name="localPort"/> to the switch on <paramref name="port"/>:
    /// start line, Via (with rport), Max-Forwards, From, To, Call-ID, CSeq, then <paramref name="extra"/>
    /// headers, Content-Length and <paramref name="body"/>. <paramref name="omit"/> leaves a header out.
    /// </summary>
    public static string Request(string method, int port, int localPort, string transport = "UDP", string user = "1001",
        IEnumerable<string>? extra = null, string body = "", string? omit = null, string? callId = null)
    {
        var branch = "z9hG4bK-probe-" + Guid.NewGuid().ToString("N")[..12];
        var lines = new List<string>
        {
            $"{method} sip:{user}@127.0.0.1:{port} SIP/2.0",
            $"Via: SIP/2.0/{transport} 127.0.0.1:{localPort};branch={branch};rport",
            "Max-Forwards: 70",
            $"From: <sip:probe@127.0.0.1>;tag={Guid.NewGuid().ToString("N")[..8]}",
            $"To: <sip:{user}@127.0.0.1>",
            $"Call-ID: {callId ?? Guid.NewGuid().ToString("N")}@127.0.0.1",
            $"CSeq: 1 {method}",
        };
        if (omit is not null) lines.RemoveAll(l => l.StartsWith(omit + ":", StringComparison.OrdinalIgnoreCase));
        if (extra is not null) lines.AddRange(extra);
        lines.Add($"Content-Length: {Encoding.UTF8.GetByteCount(body)}");
        return string.Join("\r\n", lines) + "\r\n\r\n" + body;
    }

    public static byte[] Bytes(string message) => Encoding.UTF8.GetBytes(message);

    /// <summary>The status code of a response's start line; 0 when it is not a response.</summary>
    public static int Status(string? response) =>
        response is not null && response.StartsWith("SIP/2.0 ", StringComparison.Ordinal) && response.Length >= 11
        && int.TryParse(response.AsSpan(8, 3), out var code) ? code : 0;

    /// <summary>Every value of header <paramref name="name"/> (case-insensitive), in order.</summary>
    public static IReadOnlyList<string> Headers(string? message, string name)
    {
        if (message is null) return [];
        var head = message.Split("\r\n\r\n", 2)[0];
        return head.Split("\r\n").Skip(1)
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1].Trim()).ToList();
    }

    public static int ContentLength(string message) =>
        Headers(message, "Content-Length").Concat(Headers(message, "l")).Select(v => int.TryParse(v, out var n) ? n : 0).FirstOrDefault();
}
