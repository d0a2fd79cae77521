using Hotline.Switch.Calls;
using BenchmarkDotNet.Attributes;
using Hotline.Ivr.ContactCentre.Mixing;
using Hotline.Media.Codecs;
using Hotline.Media.Mixing;

namespace Hotline.Benchmarks.ContactCentre;

/// <summary>
/// The media work of conference rooms of 10 for one 20 ms tick: every participant's frame decoded, the
/// room mixed, every participant sent what it hears, encoded; two of each room's ten are a supervisor
/// listening and one whispering, to include the restricted paths. One or two talk: member 0 always, member 1
/// in alternate 2 s spells (so members move between the shared and their own stream as a room would); the
/// rest send line noise (about −65 dBov), which is decoded like any audio. <see cref="SharedEncoding"/> false
/// is the way rooms worked before: everyone in the mix, everyone encoded on their own; true is the media
/// engine's way now: silence gated out of the mix and the common mix encoded once for all who hear it
/// (<see cref="CommonMixStream"/>). Sockets, RTP headers and jitter buffers are the media engine's and are left
/// out. One invocation = one tick for all rooms: if it takes T ms, one core carries 20 / T ×
/// <see cref="Participants"/> participants without missing a tick.
/// </summary>
[MemoryDiagnoser]
public class ConferenceCapacityBenchmarks
{
    private const int RoomSize = 10;
    private const int Frames = 50;

    private AudioMixer[] _rooms = [];
    private MixerParticipant[][] _members = [];
    private IAudioDecoder[][] _decoders = [];
    private IAudioEncoder[][] _encoders = [];
    private CommonMixSubscription[][] _subscriptions = [];
    private byte[][] _speech = [];
    private byte[][] _noise = [];
    private short[] _pcm = [];
    private byte[] _out = [];
    private long _tick;

    [Params(1500)]
    public int Participants { get; set; }

    /// <summary>PCMU at 8 kHz (PSTN callers) or G.722 at 16 kHz (desk phones).</summary>
    [Params("PCMU", "G722")]
    public string Codec { get; set; } = "PCMU";

    /// <summary>Encode the common mix once for everyone who hears it (false: every member on its own, as before).</summary>
    [Params(false, true)]
    public bool SharedEncoding { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var info = Codec == "PCMU" ? AudioCodecs.Pcmu : AudioCodecs.G722;
        int rooms = Participants / RoomSize;
        int samples = info.SamplesPerFrame();
        _rooms = new AudioMixer[rooms];
        _members = new MixerParticipant[rooms][];
        _decoders = new IAudioDecoder[rooms][];
        _encoders = new IAudioEncoder[rooms][];
        _subscriptions = new CommonMixSubscription[rooms][];
        for (int r = 0; r < rooms; r++)
        {
            _rooms[r] = new AudioMixer(info.SampleRate) { GateSilence = SharedEncoding };
            var stream = SharedEncoding ? CommonMixStream.Create(info, samples) : null;
            _members[r] = new MixerParticipant[RoomSize];
            _decoders[r] = new IAudioDecoder[RoomSize];
            _encoders[r] = new IAudioEncoder[RoomSize];
            _subscriptions[r] = new CommonMixSubscription[RoomSize];
            for (int i = 0; i < RoomSize; i++)
            {
                _members[r][i] = _rooms[r].Add();
                _decoders[r][i] = AudioCodecFactory.CreateDecoder(info);
                _encoders[r][i] = AudioCodecFactory.CreateEncoder(info);
                _subscriptions[r][i] = new CommonMixSubscription(stream);
            }
            MixerRoles.Apply(_members[r][8], MixRole.Listener);
            MixerRoles.Apply(_members[r][9], MixRole.Whisperer, _members[r][0]);
        }
        _pcm = new short[samples];
        // A second of distinct frames each (played in a loop), so decoders work on a changing signal.
        var rng = new Random(42);
        var speechEncoder = AudioCodecFactory.CreateEncoder(info);
        var noiseEncoder = AudioCodecFactory.CreateEncoder(info);
        long n = 0;
        _speech = new byte[Frames][];
        _noise = new byte[Frames][];
        for (int f = 0; f < Frames; f++)
        {
            var speech = Enumerable.Range(0, samples).Select(_ => (short)(6000 * Math.Sin(n++ * 0.3) * Math.Sin(n * 0.0007) + rng.Next(-500, 500))).ToArray();
            var noise = Enumerable.Range(0, samples).Select(_ => (short)rng.Next(-20, 21)).ToArray();
            _speech[f] = new byte[samples];
            _speech[f] = _speech[f][..speechEncoder.Encode(speech, _speech[f])];
            _noise[f] = new byte[samples];
            _noise[f] = _noise[f][..noiseEncoder.Encode(noise, _noise[f])];
        }
        _out = new byte[samples];
    }

    [Benchmark]
    public int Tick()
    {
        long tick = _tick++;
        bool secondTalker = (tick / 100) % 2 == 0;
        int bytes = 0;
        for (int r = 0; r < _rooms.Length; r++)
        {
            var members = _members[r];
            var decoders = _decoders[r];
            var encoders = _encoders[r];
            var subscriptions = _subscriptions[r];
            for (int i = 0; i < RoomSize; i++)
            {
                var payload = i == 0 || (i == 1 && secondTalker) ? _speech[tick % Frames] : _noise[(tick + i) % Frames];
                int n = decoders[i].Decode(payload, _pcm);
                members[i].SetInput(_pcm.AsSpan(0, n));
            }
            _rooms[r].Mix();
            for (int i = 0; i < RoomSize; i++)
            {
                if (subscriptions[i].TryTake(members[i], encoders[i], tick, out var shared))
                {
                    bytes += shared.Length;
                    continue;
                }
                bytes += encoders[i].Encode(members[i].Output, _out);
                subscriptions[i].EncodedPrivately(members[i], encoders[i], tick);
            }
        }
        return bytes;
    }
}
