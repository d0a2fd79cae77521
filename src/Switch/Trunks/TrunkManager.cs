using System.Collections.Concurrent;
using System.Net;
using Hotline.Switch.Auth;
using Hotline.Switch.Dialogs;
using Hotline.Switch.Routing;
using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Trunks;

/// <summary>
/// The trunks at run time: keeps each one's registration and OPTIONS keep-alive going as the store
/// says (a save or delete is applied at once), recognises requests that come from a trunk, and hands
/// out call slots within the trunk's limits.
/// </summary>
public sealed class TrunkManager : ITrunks, IAsyncDisposable
{
    private readonly ITrunkRepository _trunks;
    private readonly TransactionLayer _layer;
    private readonly LocalContact _local;
    private readonly ILogger _logger;
    private readonly TrunkTimings _timings;
    private readonly ITrunkResolver _resolver;
    private readonly Func<double> _random;
    private readonly string _userAgent;
    private readonly ConcurrentDictionary<string, Runtime> _runtimes = new(StringComparer.Ordinal);
    private readonly object _reconcile = new();
    private readonly List<Task> _stopping = [];
    private IReadOnlyList<(string Name, (IPNetwork Network, int Port)[] Sources)> _sources = [];
    private bool _started;
    private bool _disposed;

    public TrunkManager(ITrunkRepository trunks, TransactionLayer layer, LocalContact local, ILogger logger,
        TrunkTimings? timings = null, ITrunkResolver? resolver = null, Func<double>? random = null, string userAgent = "Hotline")
    {
        _trunks = trunks;
        _layer = layer;
        _local = local;
        _logger = logger;
        _timings = timings ?? TrunkTimings.Default;
        _resolver = resolver ?? new DnsTrunkResolver(layer.Time);
        _random = random ?? Random.Shared.NextDouble;
        _userAgent = userAgent;
    }

    private TimeProvider Time => _layer.Time;

    /// <summary>Starts registrations and keep-alives, and follows the store from now on.</summary>
    public void Start()
    {
        lock (_reconcile)
        {
            if (_started) return;
            _started = true;
        }
        _trunks.Changed += OnChanged;
        Reconcile();
    }

    /// <summary>Brings registrations, keep-alives and the source index in line with the store.</summary>
    public void Reconcile()
    {
        lock (_reconcile)
        {
            if (_disposed) return;
            var current = _trunks.List();
            foreach (var trunk in current)
            {
                var rt = _runtimes.GetOrAdd(trunk.Name, _ => new Runtime());
                ApplyRegistration(rt, trunk);
                ApplyKeepAlive(rt, trunk);
            }
            foreach (var name in _runtimes.Keys.Where(n => !current.Any(t => t.Name == n)).ToList())
            {
                if (!_runtimes.TryRemove(name, out var gone)) continue;
                if (gone.Registration is not null) _stopping.Add(gone.Registration.StopAsync());
                gone.KeepAlive?.Stop();
            }
            _stopping.RemoveAll(t => t.IsCompleted);
            _sources = current.Where(t => t.Enabled && t.AllowedSources.Count > 0)
                .Select(t => (t.Name, t.AllowedSources.Select(s => TrunkAddresses.TryParseSource(s, out var n, out var port) ? (n, port) : ((IPNetwork, int)?)null)
                    .OfType<(IPNetwork, int)>().ToArray()))
                .ToList();
        }
    }

    private void ApplyRegistration(Runtime rt, Trunk trunk)
    {
        var wanted = trunk.Enabled && trunk.Register;
        var password = wanted ? _trunks.Secret(trunk.Name) : null;
        if (rt.Registration is { } old && (!wanted || !old.SameSettings(trunk, password)))
        {
            _stopping.Add(old.StopAsync());
            rt.Registration = null;
        }
        if (wanted && rt.Registration is null)
        {
            rt.Registration = new TrunkRegistration(trunk, password, _layer, _local, _resolver, _timings, _random, _logger, _userAgent);
            rt.Registration.Start();
        }
    }

    private void ApplyKeepAlive(Runtime rt, Trunk trunk)
    {
        var wanted = trunk.Enabled && trunk.OptionsIntervalSeconds > 0;
        if (rt.KeepAlive is { } old && (!wanted || !old.SameSettings(trunk)))
        {
            old.Stop();
            rt.KeepAlive = null;
        }
        if (wanted && rt.KeepAlive is null)
        {
            rt.KeepAlive = new TrunkKeepAlive(trunk, _layer, _local, _resolver, _timings, _logger, _userAgent);
            rt.KeepAlive.Start();
        }
    }

    private void OnChanged(string name)
    {
        try
        {
            Reconcile();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "applying the change to trunk {Trunk} failed", name);
        }
    }

    /// <summary>
    /// The trunk a request came from: first by source address (and port, where one is given) among enabled trunks that list it,
    /// then by a registration we hold with a registrar at that address (the one registered as the
    /// Request-URI's user when several share the registrar).
    /// </summary>
    public string? MatchInbound(SipMessage request)
    {
        if (request.Source is null) return null;
        var source = TrunkAddresses.Normalise(request.Source.EndPoint.Address);
        var sourcePort = request.Source.EndPoint.Port;
        foreach (var (name, sources) in _sources)
        {
            foreach (var (network, port) in sources)
            {
                if (network.Contains(source) && (port == 0 || port == sourcePort)) return name;
            }
        }
        var now = Time.GetUtcNow();
        string? user = null;
        if (request.IsRequest && SipUri.TryParse(request.Span(request.RequestUri), out var uri, out _)) user = uri.UserUnescaped;
        string? match = null;
        foreach (var (name, rt) in _runtimes)
        {
            var reg = rt.Registration;
            if (reg is null || !reg.Holds(source, now)) continue;
            if (reg.Settings.Username == user) return name;
            if (match is null || string.CompareOrdinal(name, match) < 0) match = name;
        }
        return match;
    }

    public ITrunkLease? TryAcquire(string trunk, out string? refusal)
    {
        var settings = _trunks.Find(trunk);
        if (settings is null)
        {
            refusal = $"no trunk named {trunk}";
            return null;
        }
        if (!settings.Enabled)
        {
            refusal = $"trunk {trunk} is disabled";
            return null;
        }
        var rt = _runtimes.GetOrAdd(trunk, _ => new Runtime());
        if (rt.KeepAlive is { IsDown: true } ka)
        {
            refusal = $"trunk {trunk} is down (OPTIONS unanswered since {ka.Status.Since:O})";
            return null;
        }
        var address = _resolver.Resolve(settings.Host);
        if (address is null)
        {
            refusal = $"trunk {trunk}: cannot resolve {settings.Host}";
            return null;
        }
        if (!rt.Counter.TryTake(settings.MaxConcurrentCalls, settings.MaxCallsPerMinute, Time.GetUtcNow(), out var limit))
        {
            refusal = $"trunk {trunk} is at its limit: {limit}";
            _logger.LogWarning("trunk {Trunk} refused a call: {Limit}", trunk, limit);
            return null;
        }
        var password = _trunks.Secret(trunk);
        var credentials = !string.IsNullOrEmpty(password) && settings.DigestUser is { Length: > 0 } user ? new DigestClient(user, password) : null;
        refusal = null;
        return new TrunkLease(settings, new SipEndPoint(settings.Transport, new IPEndPoint(address, settings.Port)), credentials, rt.Counter);
    }

    /// <summary>Every trunk's live state, by name.</summary>
    public IReadOnlyList<TrunkStatus> Status() => _trunks.List().Select(StatusOf).ToList();

    public TrunkStatus? Status(string name) => _trunks.Find(name) is { } t ? StatusOf(t) : null;

    private TrunkStatus StatusOf(Trunk t)
    {
        var rt = _runtimes.GetValueOrDefault(t.Name);
        var ka = rt?.KeepAlive?.Status;
        return new TrunkStatus(t.Name, t.Enabled, ka?.State ?? TrunkLinkState.Up, rt?.Registration?.Status, ka,
            rt?.Counter.Active ?? 0, rt?.Counter.StartedInLastMinute(Time.GetUtcNow()) ?? 0, t.MaxConcurrentCalls, t.MaxCallsPerMinute);
    }

    /// <summary>Stops the keep-alives and unregisters from every trunk (RFC 3261 §10.2.2: Expires 0).</summary>
    public async ValueTask DisposeAsync()
    {
        List<Task> waits;
        lock (_reconcile)
        {
            if (_disposed) return;
            _disposed = true;
            _trunks.Changed -= OnChanged;
            waits = [.. _stopping];
            foreach (var rt in _runtimes.Values)
            {
                rt.KeepAlive?.Stop();
                if (rt.Registration is not null) waits.Add(rt.Registration.StopAsync());
            }
        }
        await Task.WhenAll(waits).ConfigureAwait(false);
    }

    /// <summary>What lives beside a trunk's settings: its call counter, registration and keep-alive.</summary>
    private sealed class Runtime
    {
        public TrunkCallCounter Counter { get; } = new();
        public TrunkRegistration? Registration { get; set; }
        public TrunkKeepAlive? KeepAlive { get; set; }
    }
}
