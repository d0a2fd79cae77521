using System.Collections.Concurrent;
using Hotline.Switch.Sip;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Transactions;

/// <summary>
/// Matches messages to transactions (RFC 3261 §17.1.3, §17.2.3), creates server transactions for
/// new requests, answers CANCELs (§9.2) and merged requests (§8.2.2.2, 482), and hands everything
/// else to the transaction user.
/// </summary>
public sealed class TransactionLayer
{
    private readonly ConcurrentDictionary<string, ServerTransaction> _server = new();
    private readonly ConcurrentDictionary<string, ClientTransaction> _client = new();
    // Requests without a To tag by (From tag, Call-ID, CSeq): a second copy with another branch is a merged request.
    private readonly ConcurrentDictionary<string, ServerTransaction> _merge = new();
    private readonly ILogger _logger;

    public TransactionLayer(ISipSender sender, TimeProvider time, SipTimers? timers = null, ILogger? logger = null)
    {
        Sender = sender;
        Time = time;
        Timers = timers ?? SipTimers.Default;
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    public ISipSender Sender { get; }
    public TimeProvider Time { get; }
    internal ILogger Logger => _logger;
    public SipTimers Timers { get; }
    public ITransactionUser? User { get; set; }

    public int ServerCount => _server.Count;
    public int ClientCount => _client.Count;

    /// <summary>Entry point for every well-formed message the transports receive.</summary>
    public void Receive(SipMessage message)
    {
        if (message.IsResponse) ReceiveResponse(message);
        else ReceiveRequest(message);
    }

    /// <summary>Creates (but does not start) a client transaction for a request with a fresh branch.</summary>
    public ClientTransaction CreateClient(SipMessage request, SipEndPoint destination)
    {
        var key = ClientKey(request.Span(request.TopVia.Branch), request.CSeq.Method == SipMethod.Extension ? request.Text(request.CSeq.MethodName) : request.CSeq.Method.Name());
        ClientTransaction tx = request.Method == SipMethod.Invite
            ? new ClientInviteTransaction(this, key, request, destination)
            : new ClientNonInviteTransaction(this, key, request, destination);
        if (!_client.TryAdd(key, tx)) throw new InvalidOperationException($"a client transaction with key {key} exists");
        return tx;
    }

    /// <summary>A transport reports that a request it accepted earlier could not be sent (TCP connect failed).</summary>
    public void OnTransportError(SipMessage request)
    {
        if (!request.IsRequest) return;
        var method = request.CSeq.Method == SipMethod.Extension ? request.Text(request.CSeq.MethodName) : request.CSeq.Method.Name();
        if (_client.TryGetValue(ClientKey(request.Span(request.TopVia.Branch), method), out var tx)) tx.TransportError();
    }

    private void ReceiveResponse(SipMessage response)
    {
        var method = response.CSeq.Method == SipMethod.Extension ? response.Text(response.CSeq.MethodName) : response.CSeq.Method.Name();
        if (_client.TryGetValue(ClientKey(response.Span(response.TopVia.Branch), method), out var tx))
        {
            tx.ReceiveResponse(response);
            return;
        }
        User?.OnStrayResponse(response);
    }

    private void ReceiveRequest(SipMessage request)
    {
        var key = ServerKey(request, request.Method == SipMethod.Ack ? "INVITE" : request.MethodText);
        if (_server.TryGetValue(key, out var existing))
        {
            existing.ReceiveRetransmission(request);
            return;
        }
        if (request.Method == SipMethod.Ack)
        {
            User?.OnAck(request);
            return;
        }
        ServerTransaction tx = request.Method == SipMethod.Invite
            ? new ServerInviteTransaction(this, key, request)
            : new ServerNonInviteTransaction(this, key, request);
        if (!_server.TryAdd(key, tx))
        {
            // The same request arrived twice at once on two threads: the other copy won.
            if (_server.TryGetValue(key, out existing)) existing.ReceiveRetransmission(request);
            return;
        }
        if (request.Method == SipMethod.Cancel)
        {
            ReceiveCancel((ServerNonInviteTransaction)tx, request);
            return;
        }
        if (!request.To.Tag.IsPresent)
        {
            var mergeKey = MergeKey(request);
            if (!_merge.TryAdd(mergeKey, tx))
            {
                // Same request, other branch: it forked upstream and reached us twice (§8.2.2.2).
                _logger.LogDebug("merged request {CallId} answered 482", request.CallId);
                tx.Respond(482, "Loop Detected");
                return;
            }
        }
        User?.OnRequest(tx);
    }

    private void ReceiveCancel(ServerNonInviteTransaction cancelTx, SipMessage cancel)
    {
        if (_server.TryGetValue(ServerKey(cancel, "INVITE"), out var target) && target is ServerInviteTransaction invite)
        {
            invite.Cancelled = true;
            cancelTx.Respond(200);
            User?.OnCancel(invite, cancel);
            return;
        }
        cancelTx.Respond(481); // §9.2: no matching transaction
    }

    internal void Remove(SipTransaction tx)
    {
        switch (tx)
        {
            case ServerTransaction s:
                _server.TryRemove(new KeyValuePair<string, ServerTransaction>(s.Key, s));
                if (!s.Request.To.Tag.IsPresent && s.Request.Method != SipMethod.Cancel)
                    _merge.TryRemove(new KeyValuePair<string, ServerTransaction>(MergeKey(s.Request), s));
                break;
            case ClientTransaction c:
                _client.TryRemove(new KeyValuePair<string, ClientTransaction>(c.Key, c));
                break;
        }
    }

    private static string ClientKey(ReadOnlySpan<byte> branch, string method) =>
        string.Concat(System.Text.Encoding.ASCII.GetString(branch), "|", method);

    /// <summary>
    /// §17.2.3: branch + sent-by + method for RFC 3261 peers; for RFC 2543 peers (no magic cookie)
    /// Request-URI, From tag, Call-ID, CSeq number and the whole top Via.
    /// </summary>
    private static string ServerKey(SipMessage request, string method)
    {
        var via = request.TopVia;
        var branch = request.Span(via.Branch);
        if (branch.StartsWith(ViaHeader.MagicCookie))
        {
            return string.Concat(request.Text(via.Branch), "|", request.Text(via.Host).ToLowerInvariant(), ":", via.Port.ToString(), "|", method);
        }
        return string.Join("|", "2543", request.RequestUriText, request.Text(request.From.Tag), request.CallId,
            request.CSeq.Number.ToString(), request.Text(via.Value), method);
    }

    private static string MergeKey(SipMessage request) =>
        string.Join("|", request.Text(request.From.Tag), request.CallId, request.CSeq.Number.ToString(), request.MethodText);
}
