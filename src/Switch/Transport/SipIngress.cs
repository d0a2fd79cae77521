using System.Net;
using Hotline.Switch.Sip;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Transport;

/// <summary>
/// What every transport does with the bytes of one message: parse it, answer a malformed request
/// with 400 when a response is possible (RFC 3261 §8.2, §16.3), drop it with one log line when not,
/// and hand good messages on. Nothing here throws back into a receive loop.
/// </summary>
public sealed class SipIngress
{
    private readonly ILogger _logger;
    private readonly ILogger _trace;
    private readonly SipOptions _options;
    private readonly TimeProvider _time;
    private long _windowStart;
    private int _loggedInWindow;
    private long _malformed;

    public SipIngress(SipOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        _options = options;
        _time = time;
        _logger = loggers.CreateLogger("Hotline.Switch.Transport");
        _trace = loggers.CreateLogger("Hotline.Switch.Trace");
    }

    /// <summary>Receives well-formed messages (set by the stack).</summary>
    public Action<SipMessage>? Deliver { get; set; }

    /// <summary>Sends a response outside any transaction (the 400 for a malformed request).</summary>
    public Func<SipMessage, SipEndPoint, bool>? SendDirect { get; set; }

    /// <summary>Sources currently blocked for repeated authentication failures: their packets are dropped unread.</summary>
    public Func<IPAddress, bool>? IsBlocked { get; set; }

    public long MalformedCount => Interlocked.Read(ref _malformed);

    public void Handle(ReadOnlySpan<byte> data, SipEndPoint source)
    {
        try
        {
            if (IsBlocked?.Invoke(source.EndPoint.Address) == true) return;
            var message = SipParser.Parse(data, out var error);
            if (message is null)
            {
                Malformed(source, error ?? "unparseable");
                return;
            }
            message.Source = source;
            if (_options.Trace) _trace.LogInformation("recv {Bytes} bytes from {Source}\n{Message}", data.Length, source, message.ToString());
            if (!message.IsValid)
            {
                Malformed(source, message.ParseError!);
                if (message.CanRespond) Reject(message);
                message.Dispose();
                return;
            }
            Deliver?.Invoke(message);
        }
        catch (Exception e)
        {
            // A bug handling one message must not stop the loop that received it.
            _logger.LogError(e, "error handling a message from {Source}", source);
        }
    }

    private void Reject(SipMessage request)
    {
        var status = request.ParseErrorStatus;
        using var w = SipResponses.Start(request, status, toTag: SipIds.NewTag());
        // RFC 3261 §20.43: 399 is the miscellaneous warning; it tells the sender what we could not parse.
        w.Header(HeaderId.Warning, $"399 {_options.AdvertisedAddress} \"{request.ParseError!.Replace('"', '\'')}\"");
        w.Header(HeaderId.Server, _options.UserAgent);
        var response = w.NoBody().ToMessageUnchecked();
        SendDirect?.Invoke(response, request.Source!);
    }

    private void Malformed(SipEndPoint source, string reason)
    {
        Interlocked.Increment(ref _malformed);
        // At most 20 lines per 10 s: a flood of garbage must not become a flood of logs.
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(Interlocked.Read(ref _windowStart), now) > TimeSpan.FromSeconds(10))
        {
            Interlocked.Exchange(ref _windowStart, now);
            Interlocked.Exchange(ref _loggedInWindow, 0);
        }
        if (Interlocked.Increment(ref _loggedInWindow) <= 20)
            _logger.LogWarning("dropped malformed message from {Source}: {Reason}", source, reason);
    }
}
