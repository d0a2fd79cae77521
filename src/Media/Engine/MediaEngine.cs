using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Hotline.Media.Codecs;
using Hotline.Media.Playback;
using Hotline.Media.Recording;
using Hotline.Media.Rtp;
using Hotline.Media.Sdp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotline.Media.Engine;

/// <summary>
/// The media engine: RTP endpoints for call legs, bridges between them, conference rooms, spread over a
/// few <see cref="MediaWorker"/>s (one per core by default) that each own many endpoints and run one
/// 20 ms clock. Create one per process. Methods may be called from any thread; the media itself is only
/// ever touched by the worker that owns it.
/// </summary>
public sealed class MediaEngine : IAsyncDisposable
{
    private readonly EngineContext _context;
    private readonly MediaWorker[] _workers;
    private readonly RtpPortAllocator _ports;
    private readonly SdpNegotiatorOptions _negotiation;
    private readonly ConcurrentDictionary<string, SdpNegotiator> _negotiators = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<MediaEndpoint, byte> _endpoints = new();
    private readonly ConcurrentDictionary<MediaBridge, byte> _bridges = new();
    private readonly ConcurrentDictionary<ConferenceRoom, byte> _rooms = new();
    private readonly bool _ownsRecordings;
    private int _disposed;

    /// <param name="recordingWriter">The process's shared writer; null to have the engine own one.</param>
    /// <param name="promptCache">The process's prompt cache; null to have the engine own one.</param>
    public MediaEngine(MediaEngineOptions? options = null, TimeProvider? timeProvider = null,
        RecordingWriter? recordingWriter = null, PromptCache? promptCache = null, ILoggerFactory? loggerFactory = null)
    {
        Options = options ?? new MediaEngineOptions();
        Options.Validate();
        var time = timeProvider ?? TimeProvider.System;
        Codecs = ResolveCodecs(Options.Codecs);
        _negotiation = new SdpNegotiatorOptions { Codecs = Codecs, Ptime = Options.Ptime };
        AdvertisedAddress = Options.AdvertisedAddress ?? ChooseAdvertisedAddress(Options.BindAddress);
        _ports = new RtpPortAllocator(Options.RtpPortMin, Options.RtpPortMax + 1);
        ReceiveMode = PacketPump.Resolve(Options.ReceiveMode);
        Recordings = recordingWriter ?? new RecordingWriter(new RecordingWriterOptions { ThreadNice = Options.WorkerNice }, time,
            loggerFactory?.CreateLogger<RecordingWriter>());
        _ownsRecordings = recordingWriter is null;
        Prompts = promptCache ?? new PromptCache(codec => AudioCodecFactory.CreateEncoder(codec));
        MusicOnHold = new MusicOnHold("default", Options.MusicOnHoldFolder ?? Path.Combine(AppContext.BaseDirectory, "moh"), Prompts);
        var logger = (ILogger?)loggerFactory?.CreateLogger<MediaEngine>() ?? NullLogger.Instance;
        _context = new EngineContext(Options, time, Prompts, MusicOnHold, logger);
        _workers = new MediaWorker[Options.Workers];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new MediaWorker(_context, i, ReceiveMode);
            _workers[i].Start();
        }
    }

    public MediaEngineOptions Options { get; }

    /// <summary>The address our SDP carries.</summary>
    public IPAddress AdvertisedAddress { get; }

    /// <summary>How the workers read their sockets on this platform.</summary>
    public PacketReceiveMode ReceiveMode { get; }

    /// <summary>Our codecs in preference order, as the catalogue has them (Opus decoded at 16 kHz).</summary>
    public IReadOnlyList<AudioCodecInfo> Codecs { get; }

    public RecordingWriter Recordings { get; }
    public PromptCache Prompts { get; }
    public MusicOnHold MusicOnHold { get; }

    /// <summary>
    /// A new endpoint with its own RTP/RTCP port pair, on the least loaded worker, or on the worker of
    /// <paramref name="near"/>: the other leg of the same call, so that bridging them later moves nothing
    /// (a move takes a round trip through both workers' command queues, and a busy worker would hold the
    /// first words after the answer meanwhile: received, not relayed).
    /// </summary>
    /// <exception cref="MediaPortsExhaustedException">No port pair could be bound.</exception>
    public MediaEndpoint CreateEndpoint(string label, MediaEndpoint? near = null)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var sockets = RtpSocketPair.Open(_ports, Options.BindAddress, Options.SocketReceiveBufferBytes);
        var worker = near?.Leg.Worker is { IsStopped: false } beside ? beside : _workers.MinBy(w => w.AssignedLegs)!;
        worker.Reserve();
        var leg = new RtpLeg(_context, label, sockets, worker.Counters, new Random()) { Sockets = sockets };
        leg.UseAddressFamily(sockets.Family);
        leg.SetWorker(worker, worker.Counters);
        worker.Post(() => worker.Adopt(leg, sockets));
        var endpoint = new MediaEndpoint(this, leg, sockets);
        _endpoints.TryAdd(endpoint, 0);
        return endpoint;
    }

    /// <summary>
    /// Connects two endpoints: each hears the other, relayed on arrival when both use the same codec,
    /// transcoded otherwise. With <paramref name="recordingPath"/> (relative to the recordings root) the
    /// call is recorded to a stereo WAV, caller left, callee right, at 8 kHz, or 16 kHz when either leg is
    /// wideband. The legs are gathered on one worker first.
    /// </summary>
    public MediaBridge Bridge(MediaEndpoint caller, MediaEndpoint callee, string? recordingPath = null)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(callee);
        if (caller == callee)
            throw new ArgumentException("an endpoint cannot be bridged to itself", nameof(callee));
        WavRecorder? recorder = null;
        string? path = null;
        if (recordingPath is not null)
        {
            path = Path.GetFullPath(Path.Combine(Options.RecordingsRoot ?? Environment.CurrentDirectory, recordingPath));
            bool wideband = (caller.Codec?.SampleRate ?? 8000) >= 16000 || (callee.Codec?.SampleRate ?? 8000) >= 16000;
            recorder = Recordings.Start(path, wideband ? 16000 : 8000, WavChannelLayout.Stereo);
        }
        var bridge = new MediaBridge(this, caller, callee, new BridgeCore(caller.Leg, callee.Leg, recorder), recorder, path);
        _bridges.TryAdd(bridge, 0);
        // Gather on the less loaded of the two workers: legs are spread as they are created, and always
        // gathering on the caller's worker would pile every call onto the worker of the first leg.
        var a = caller.Leg.Worker;
        var b = callee.Leg.Worker;
        var target = a is null ? b ?? _workers[0] : b is null || a.AssignedLegs <= b.AssignedLegs ? a : b;
        Gather(target, [caller.Leg, callee.Leg], bridge.StartOn);
        return bridge;
    }

    /// <summary>A conference room mixing at <paramref name="sampleRate"/> (8000 or 16000 Hz), on the least loaded worker.</summary>
    public ConferenceRoom CreateConference(string name, int sampleRate = 16000)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (sampleRate is not (8000 or 16000))
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "conference rooms mix at 8000 or 16000 Hz");
        var worker = _workers.MinBy(w => w.AssignedLegs)!;
        var room = new ConferenceRoom(this, name, new ConferenceCore(sampleRate), worker);
        _rooms.TryAdd(room, 0);
        worker.Post(() => worker.AddAttachment(room.Core));
        return room;
    }

    public MediaEngineStatistics GetStatistics()
    {
        var totals = new PacketCounters();
        long ticks = 0, late = 0, skipped = 0, faults = 0, waits = 0;
        foreach (var worker in _workers)
        {
            totals.Add(worker.Counters);
            ticks += worker.Ticks;
            late += worker.LateTicks;
            skipped += worker.SkippedTicks;
            faults += worker.Faults;
            waits += worker.Pump.Waits;
        }
        return new MediaEngineStatistics(_endpoints.Count, totals.RtpReceived, totals.RtpSent, totals.Relayed,
            totals.RtcpReceived, totals.RtcpSent, totals.Malformed, totals.UnknownPayloadType, totals.RejectedSource,
            totals.Ignored, totals.SendErrors, ticks, late, skipped, faults, Recordings.DroppedFrames, waits,
            [.. _workers.Select(w => w.AssignedLegs)], _workers.Max(w => w.LongestTick), _workers.Sum(w => w.SlowTicks));
    }

    /// <summary>Closes every bridge, room and endpoint (RTCP BYE, recordings finalised), then stops the workers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        foreach (var bridge in _bridges.Keys)
            await bridge.DisposeAsync().ConfigureAwait(false);
        foreach (var room in _rooms.Keys)
            await room.DisposeAsync().ConfigureAwait(false);
        foreach (var endpoint in _endpoints.Keys)
            await endpoint.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(_workers.Select(w => w.StopAsync())).ConfigureAwait(false);
        foreach (var worker in _workers)
            worker.Dispose();
        if (_ownsRecordings)
            await Recordings.DisposeAsync().ConfigureAwait(false);
    }

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    internal EngineContext Context => _context;

    /// <summary>The negotiator for offers that put <paramref name="codec"/> first (null: our order).</summary>
    internal SdpNegotiator Negotiator(string? codec = null) =>
        _negotiators.GetOrAdd(codec ?? "", name =>
        {
            var preferred = Codecs.Where(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).ToList();
            return new SdpNegotiator(_negotiation with { Codecs = [.. preferred, .. Codecs.Except(preferred)] });
        });

    internal void Forget(MediaEndpoint endpoint) => _endpoints.TryRemove(endpoint, out _);
    internal void Forget(MediaBridge bridge) => _bridges.TryRemove(bridge, out _);
    internal void Forget(ConferenceRoom room) => _rooms.TryRemove(room, out _);

    /// <summary>
    /// Runs <paramref name="action"/> on the worker that owns <paramref name="leg"/>, following it if it
    /// moves meanwhile; <paramref name="ifClosed"/> runs instead (on the calling thread or a worker) once it is closed.
    /// </summary>
    internal static void RunOnOwner(RtpLeg leg, Action<MediaWorker> action, Action? ifClosed = null)
    {
        var worker = leg.Worker;
        if (worker is null)
        {
            ifClosed?.Invoke();
            return;
        }
        worker.Post(() =>
        {
            if (leg.Worker == worker)
                action(worker);
            else
                RunOnOwner(leg, action, ifClosed);
        });
    }

    /// <summary>
    /// Moves every leg of <paramref name="legs"/> to <paramref name="target"/>, one at a time (each move runs
    /// on the leg's current worker), then runs <paramref name="then"/> on the target with all of them there.
    /// </summary>
    internal static void Gather(MediaWorker target, RtpLeg[] legs, Action<MediaWorker> then)
    {
        // Count the moves now rather than when they happen, so the next placement decision sees them.
        foreach (var leg in legs)
        {
            if (leg.Worker is { } owner && owner != target)
            {
                owner.Unreserve();
                target.Reserve();
            }
        }
        target.Post(() => GatherStep(target, legs, then));
    }

    private static void GatherStep(MediaWorker target, RtpLeg[] legs, Action<MediaWorker> then)
    {
        foreach (var leg in legs)
        {
            var owner = leg.Worker;
            if (owner is null || owner == target)
                continue;
            owner.Post(() =>
            {
                if (leg.Worker == owner)
                    owner.MoveTo(leg, leg.Sockets, target, () => GatherStep(target, legs, then));
                else
                    target.Post(() => GatherStep(target, legs, then));
            });
            return;
        }
        then(target);
    }

    private static IReadOnlyList<AudioCodecInfo> ResolveCodecs(IReadOnlyList<string> names)
    {
        var codecs = new List<AudioCodecInfo>();
        foreach (var name in names)
        {
            // Opus is decoded and encoded at 16 kHz: telephony and recordings never need more.
            var found = name.Equals("opus", StringComparison.OrdinalIgnoreCase)
                ? [AudioCodecs.OpusWideband]
                : AudioCodecs.All.Where(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).OrderByDescending(c => c.SampleRate).ToList();
            if (found.Count == 0)
                throw new ArgumentException($"unknown codec '{name}'; known: {string.Join(", ", AudioCodecs.All.Select(c => c.Name).Distinct())}", nameof(names));
            codecs.AddRange(found.Where(c => !codecs.Contains(c)));
        }
        return codecs;
    }

    private static IPAddress ChooseAdvertisedAddress(IPAddress bind)
    {
        if (!bind.Equals(IPAddress.Any) && !bind.Equals(IPAddress.IPv6Any))
            return bind;
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
                    continue;
                foreach (var address in nic.GetIPProperties().UnicastAddresses)
                    if (address.Address.AddressFamily == AddressFamily.InterNetwork)
                        return address.Address;
            }
        }
        catch (NetworkInformationException)
        {
            // No interface list on this platform: loopback below.
        }
        return IPAddress.Loopback;
    }
}
