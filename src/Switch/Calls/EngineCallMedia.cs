using Hotline.Media.Engine;
using Hotline.Media.Playback;

namespace Hotline.Switch.Calls;

/// <summary>
/// <see cref="ICallMedia"/> over the <see cref="MediaEngine"/>: each call leg is an engine endpoint (SDP
/// text in and out), a bridge is an engine bridge. Call progress sounds are China's (ChinaTones). The
/// engine is shared and owned by the composition root; disposing legs and bridges releases their media.
/// Mixing rooms (<see cref="IMediaRooms"/>) are the engine's conference rooms, through <see cref="EngineRooms"/>.
/// </summary>
public sealed partial class EngineCallMedia(MediaEngine engine) : ICallMedia, IMediaRooms
{
    private readonly EngineRooms _rooms = new(engine);

    public MediaEngine Engine { get; } = engine;

    public IMixingRoom CreateRoom(string name, int sampleRate = 16000) => _rooms.CreateRoom(name, sampleRate);

    public Task<IReadOnlyList<IMixMember>> MoveBridgeAsync(IMediaBridge bridge, IMixingRoom room, string callId, string callerParty, string calleeParty,
        CancellationToken ct = default, Func<int, Task>? hangupLeg = null) =>
        _rooms.MoveBridgeAsync(bridge, room, callId, callerParty, calleeParty, ct, hangupLeg);

    /// <summary>The engine endpoint under a leg this adapter (any instance) created, else null.</summary>
    internal static MediaEndpoint? EndpointOf(IMediaLeg leg) => (leg as Leg)?.Endpoint;

    /// <summary>The engine bridge under a bridge this adapter (any instance) made, else null.</summary>
    internal static MediaBridge? BridgeOf(IMediaBridge bridge) => (bridge as BridgeAdapter)?.Bridge;

    public IMediaLeg CreateLeg(string label, IMediaLeg? near = null)
    {
        try
        {
            return new Leg(Engine.CreateEndpoint(label, (near as Leg)?.Endpoint));
        }
        catch (MediaPortsExhaustedException e)
        {
            throw new MediaUnavailableException(e.Message);
        }
    }

    public IMediaBridge Bridge(IMediaLeg caller, IMediaLeg callee, string? recordingPath) =>
        new BridgeAdapter(Engine.Bridge(Unwrap(caller), Unwrap(callee), recordingPath));

    private static MediaEndpoint Unwrap(IMediaLeg leg) => leg is Leg ours
        ? ours.Endpoint
        : throw new ArgumentException($"{leg.Label} was not created by this media engine", nameof(leg));

    private sealed partial class Leg : IMediaLeg, IMediaLegPlayback
    {
        public Leg(MediaEndpoint endpoint)
        {
            Endpoint = endpoint;
            _dtmf = new(() => endpoint.DtmfReceived += OnDigit, () => endpoint.DtmfReceived -= OnDigit);
        }

        private readonly OnDemandEvent<Action<IMediaLeg, char>> _dtmf;

        public MediaEndpoint Endpoint { get; }
        public string Label => Endpoint.Label;
        public string? Codec => Endpoint.Codec?.Name;
        public bool RemoteHold => Endpoint.RemoteHold;
        public bool PeerSends => Endpoint.PeerSends;
        public long PacketsHeard => Endpoint.PacketsHeard;

        // Subscribed to the endpoint only while someone here listens: a leg nobody takes digits from runs no
        // in-band detector (its cost is a filter bank over every frame of a peer without telephone-event).
        public event Action<IMediaLeg, char>? Dtmf
        {
            add => _dtmf.Add(value);
            remove => _dtmf.Remove(value);
        }

        private void OnDigit(MediaEndpoint endpoint, char digit) => _dtmf.Handlers?.Invoke(this, digit);

        public string CreateOffer(string? preferCodec = null, bool hold = false) => Endpoint.CreateOffer(preferCodec, hold);

        public SdpResult AnswerOffer(string offer, bool hold = false)
        {
            var answer = Endpoint.AnswerOffer(offer, hold);
            return new SdpResult(answer.Sdp, answer.Error);
        }

        public string? ApplyAnswer(string answer) => Endpoint.ApplyAnswer(answer);

        public void Play(CallSound sound)
        {
            switch (sound)
            {
                case CallSound.Ringback: Endpoint.PlayTone(ChinaTones.Ringback); break;
                case CallSound.Busy: Endpoint.PlayTone(ChinaTones.Busy); break;
                case CallSound.Congestion: Endpoint.PlayTone(ChinaTones.Congestion); break;
                case CallSound.MusicOnHold: Endpoint.PlayMusicOnHold(); break;
                default: throw new ArgumentOutOfRangeException(nameof(sound), sound, "no such call sound");
            }
        }

        public void PlayPrompt(string path) => Endpoint.PlayPrompt(path);

        public void StopPlayback() => Endpoint.StopPlayback();

        public void SendDtmf(char digit) => Endpoint.SendDtmf(digit);

        public MediaLegStats Stats
        {
            get
            {
                var stats = Endpoint.Statistics;
                return new MediaLegStats(stats.Codec, stats.PacketsReceived, stats.PacketsSent, stats.PacketsLost,
                    stats.Jitter.TotalMilliseconds, stats.RemoteRtp?.ToString());
            }
        }

        public ValueTask DisposeAsync() => Endpoint.DisposeAsync();
    }

    private sealed class BridgeAdapter(MediaBridge bridge) : IMediaBridge
    {
        public MediaBridge Bridge => bridge;
        public bool Transcoding => bridge.Transcoding;
        public string? RecordingPath => bridge.RecordingPath;
        public ValueTask DisposeAsync() => bridge.DisposeAsync();
    }
}
