using System.Net;
using Hotline.Switch.Auth;
using Hotline.Switch.Dialogs;
using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Trunks;

/// <summary>
/// Keeps the switch registered with one trunk (RFC 3261 §10.2): REGISTER, answer the digest
/// challenge, learn the granted expiry from our Contact's expires (else Expires, §10.2.4), refresh
/// before it runs out, back off exponentially after failures, and unregister (Expires: 0) on stop.
/// One instance serves one set of settings; the manager replaces it when they change.
/// </summary>
internal sealed class TrunkRegistration
{
    // One challenge is answered per attempt, plus one more if the registrar says our nonce was stale (RFC 7616 §3.3).
    private const int MaxChallenges = 3;

    private readonly object _gate = new();
    private readonly string? _password;
    private readonly TransactionLayer _layer;
    private readonly LocalContact _local;
    private readonly ITrunkResolver _resolver;
    private readonly TrunkTimings _timings;
    private readonly Func<double> _random;
    private readonly ILogger _logger;
    private readonly string _userAgent;
    private readonly string _callId;
    private readonly string _fromTag = SipIds.NewTag();
    private readonly DigestClient? _digest;
    private TimeProvider Time => _layer.Time;

    private uint _cseq;
    private ITimer? _timer;
    private ClientTransaction? _current;
    private int _challenges;
    private bool _intervalRaised;
    private int _expires;
    private SipEndPoint? _destination;
    private bool _stopping;
    private TaskCompletionSource? _stopped;

    private RegistrationState _state = RegistrationState.Unregistered;
    private DateTimeOffset _since;
    private DateTimeOffset? _until;
    private int _lastStatus;
    private string? _lastReason;
    private DateTimeOffset? _next;
    private int _failures;

    public TrunkRegistration(Trunk settings, string? password, TransactionLayer layer, LocalContact local, ITrunkResolver resolver,
        TrunkTimings timings, Func<double> random, ILogger logger, string userAgent)
    {
        Settings = settings;
        _password = password;
        _layer = layer;
        _local = local;
        _resolver = resolver;
        _timings = timings;
        _random = random;
        _logger = logger;
        _userAgent = userAgent;
        _callId = SipIds.NewCallId(local.Host);
        _expires = settings.RegisterExpires;
        _since = Time.GetUtcNow();
        if (!string.IsNullOrEmpty(password) && settings.DigestUser is { } user) _digest = new DigestClient(user, password);
    }

    public Trunk Settings { get; }

    public bool SameSettings(Trunk other, string? password) =>
        other.Host == Settings.Host && other.Port == Settings.Port && other.Transport == Settings.Transport && other.Domain == Settings.Domain
        && other.Username == Settings.Username && other.DigestUser == Settings.DigestUser && other.RegisterExpires == Settings.RegisterExpires
        && password == _password;

    public RegistrationStatus Status
    {
        get
        {
            lock (_gate) return new(_state, _since, _until, _lastStatus, _lastReason, _next, _failures, _destination?.EndPoint.Address);
        }
    }

    /// <summary>Whether we hold a live registration with a registrar at <paramref name="source"/>.</summary>
    public bool Holds(IPAddress source, DateTimeOffset now)
    {
        lock (_gate) return _until > now && _destination is not null && _destination.EndPoint.Address.Equals(source);
    }

    public void Start() => _ = BeginAsync();

    /// <summary>Unregisters (when registered, or a REGISTER is in flight) and stops; completes when the registrar answers or the wait runs out.</summary>
    public Task StopAsync()
    {
        Action? send = null;
        ITimer? giveUp = null;
        Task result;
        lock (_gate)
        {
            if (_stopping) return _stopped?.Task ?? Task.CompletedTask;
            _stopping = true;
            _timer?.Dispose();
            _timer = null;
            _next = null;
            var now = Time.GetUtcNow();
            if (_destination is not null && (_until > now || _current is not null))
            {
                _stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _current = null;
                _challenges = 0;
                send = () => Send(0, null);
                giveUp = Time.CreateTimer(_ => Stopped(0, "no answer to the unregistration"), null, _timings.UnregisterTimeout, Timeout.InfiniteTimeSpan);
                result = _stopped.Task;
            }
            else
            {
                SetState(RegistrationState.Unregistered, 0, null);
                _until = null;
                result = Task.CompletedTask;
            }
        }
        send?.Invoke();
        if (giveUp is not null) _ = result.ContinueWith(_ => giveUp.Dispose(), TaskScheduler.Default);
        return result;
    }

    /// <summary>Starts a registration cycle: resolve the registrar (synchronously for a literal address), then REGISTER.</summary>
    private async Task BeginAsync()
    {
        try
        {
            var address = await _resolver.ResolveAsync(Settings.Host).ConfigureAwait(false);
            lock (_gate)
            {
                if (_stopping) return;
                _challenges = 0;
                _intervalRaised = false;
                _timer?.Dispose();
                _timer = null;
                _next = null;
                if (address is null)
                {
                    Fail(0, $"cannot resolve {Settings.Host}", TimeSpan.Zero);
                    return;
                }
                _destination = new SipEndPoint(Settings.Transport, new IPEndPoint(address, Settings.Port));
                if (_state != RegistrationState.Registered) SetState(RegistrationState.Registering, _lastStatus, _lastReason);
            }
            Send(_expires, null);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "trunk {Trunk}: registration cycle failed", Settings.Name);
        }
    }

    private void Send(int expires, (HeaderId, string)? authorization)
    {
        ClientTransaction tx;
        lock (_gate)
        {
            if ((_stopping && expires != 0) || _destination is null) return;
            var request = TrunkRequests.Register(Settings, _local, _callId, _fromTag, ++_cseq, expires, _userAgent, authorization);
            tx = _layer.CreateClient(request, _destination);
            tx.ResponseReceived = (t, r) =>
            {
                if (r.StatusCode >= 200) OnFinal(t, r);
            };
            tx.Failed = OnFailed;
            _current = tx;
        }
        tx.Start();
    }

    private void OnFinal(ClientTransaction tx, SipMessage response)
    {
        Action? next = null;
        lock (_gate)
        {
            if (tx != _current) return;
            _current = null;
            var status = response.StatusCode;
            var challenge = status is 401 or 407 ? Answer(response) : null;
            if (challenge is { } a)
            {
                var expires = _stopping ? 0 : _expires;
                next = () => Send(expires, a);
            }
            else if (_stopping)
            {
                next = () => Stopped(status, response.ReasonText);
            }
            else if (status is >= 200 and < 300)
            {
                Registered(response);
            }
            else if (status == 423 && !_intervalRaised && int.TryParse(response.GetHeader(HeaderId.MinExpires), out var min) && min > _expires)
            {
                // §10.2.8: Interval Too Brief — ask again for at least Min-Expires.
                _intervalRaised = true;
                _expires = min;
                next = () => Send(min, null);
            }
            else
            {
                var reason = status is 401 or 407
                    ? _digest is null ? "challenged, but the trunk has no password" : "credentials rejected"
                    : response.ReasonText;
                Fail(status, reason, RetryAfter(response));
            }
        }
        next?.Invoke();
    }

    private void OnFailed(ClientTransaction tx, TransactionFailure failure)
    {
        lock (_gate)
        {
            if (tx != _current) return;
            _current = null;
            if (!_stopping)
            {
                Fail(failure == TransactionFailure.Timeout ? 408 : 503, failure == TransactionFailure.Timeout ? "no response" : "transport error", TimeSpan.Zero);
                return;
            }
        }
        Stopped(0, "no response to the unregistration");
    }

    /// <summary>Under the lock: the credentials for a challenge, when it is one we should answer.</summary>
    private (HeaderId, string)? Answer(SipMessage challenge)
    {
        if (_digest is null || _challenges >= MaxChallenges) return null;
        // A second challenge in a row means the credentials were wrong, unless the nonce had merely gone stale.
        if (_challenges > 0 && !IsStale(challenge)) return null;
        var answer = _digest.Answer(challenge, "REGISTER", TrunkRequests.RegistrarUri(Settings));
        if (answer is not null) _challenges++;
        return answer;
    }

    private static bool IsStale(SipMessage challenge)
    {
        var header = challenge.StatusCode == 407 ? HeaderId.ProxyAuthenticate : HeaderId.WwwAuthenticate;
        foreach (var v in challenge.Headers(header))
        {
            if (challenge.Text(v).Replace(" ", "").Contains("stale=true", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private void Registered(SipMessage response)
    {
        var granted = GrantedExpires(response);
        if (granted <= 0)
        {
            Fail(response.StatusCode, "registrar granted no time", TimeSpan.Zero);
            return;
        }
        var now = Time.GetUtcNow();
        var wasRegistered = _state == RegistrationState.Registered;
        _until = now + TimeSpan.FromSeconds(granted);
        _failures = 0;
        _challenges = 0;
        SetState(RegistrationState.Registered, response.StatusCode, null);
        var refresh = TrunkTimings.RefreshAfter(TimeSpan.FromSeconds(granted));
        Arm(refresh);
        if (!wasRegistered) _logger.LogInformation("trunk {Trunk}: registered for {Granted} s", Settings.Name, granted);
    }

    /// <summary>
    /// §10.2.4: the registrar's 200 lists the AOR's bindings; ours carries the expiry it granted
    /// (it may be shorter than asked). Else the Expires header, else what we asked for.
    /// </summary>
    private int GrantedExpires(SipMessage response)
    {
        var ours = SipUri.TryParse(TrunkRequests.ContactUri(Settings, _local), out var u, out _) ? u : null;
        var contacts = response.NameAddrs(HeaderId.Contact);
        int? single = null;
        var withExpires = 0;
        foreach (var c in contacts)
        {
            if (!SipParamEnumerator.TryFind(response.Bytes, c.Parameters, "expires"u8, out var value)
                || !SipNumber.TryParseUInt(response.Span(value), out var seconds)) continue;
            withExpires++;
            single = (int)Math.Min(seconds, int.MaxValue);
            if (ours is not null && SipUri.TryParse(response.Span(c.Uri), out var theirs, out _) && theirs.EquivalentTo(ours)) return single.Value;
        }
        if (withExpires == 1 && contacts.Count == 1) return single!.Value;
        return response.Expires >= 0 ? response.Expires : _expires;
    }

    private static TimeSpan RetryAfter(SipMessage response) =>
        int.TryParse(response.GetHeader(HeaderId.RetryAfter)?.Split(';', '(')[0].Trim(), out var s) && s > 0
            ? TimeSpan.FromSeconds(Math.Min(s, 3600)) : TimeSpan.Zero;

    /// <summary>Under the lock: record the failure and schedule the retry (never sooner than Retry-After).</summary>
    private void Fail(int status, string reason, TimeSpan retryAfter)
    {
        _failures++;
        SetState(RegistrationState.Failed, status, reason);
        var delay = _timings.Backoff(_failures, _random());
        if (retryAfter > delay) delay = retryAfter;
        Arm(delay);
        _logger.LogWarning("trunk {Trunk}: registration failed ({Status} {Reason}), attempt {Failures}, retry in {Delay}",
            Settings.Name, status, reason, _failures, delay);
    }

    private void Stopped(int status, string reason)
    {
        TaskCompletionSource? done;
        lock (_gate)
        {
            done = _stopped;
            if (done is null || done.Task.IsCompleted) return;
            _current = null;
            _until = null;
            SetState(RegistrationState.Unregistered, status, status is >= 200 and < 300 ? null : reason);
        }
        _logger.LogInformation("trunk {Trunk}: unregistered ({Status})", Settings.Name, status);
        done.TrySetResult();
    }

    private void Arm(TimeSpan delay)
    {
        _timer?.Dispose();
        _next = Time.GetUtcNow() + delay;
        _timer = Time.CreateTimer(static s => ((TrunkRegistration)s!).Start(), this, delay, Timeout.InfiniteTimeSpan);
    }

    private void SetState(RegistrationState state, int status, string? reason)
    {
        if (state != _state) _since = Time.GetUtcNow();
        _state = state;
        _lastStatus = status;
        _lastReason = reason;
    }
}
