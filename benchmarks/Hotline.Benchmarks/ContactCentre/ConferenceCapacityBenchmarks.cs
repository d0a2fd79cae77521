using Hotline.Switch.Calls;
using BenchmarkDotNet.Attributes;
using Hotline.Ivr.ContactCentre.Mixing;
using Hotline.Media.Codecs;
using Hotline.Media.Mixing;

namespace Hotline.Benchmarks.ContactCentre;

/// <summary>
/// The media work of conference rooms of 10 for one 20 ms tick: every participant's frame decoded, the
/// room mixed (each hears the other nine), every participant's mix encoded; two of each room's ten are a
/// supervisor listening and one whispering, to include the restricted paths. Sockets, RTP headers and
/// jitter buffers are the media engine's and are left out. One invocation = one tick for all rooms: if it
/// takes T ms, one core carries 20 / T × <see cref="Participants"/> participants without missing a tick.
/// </summary>
[MemoryDiagnoser]
public class ConferenceCapacityBenchmarks
{
    private const int RoomSize = 10;

    private AudioMixer[] _rooms = [];
    private MixerParticipant[][] _members = [];
    private IAudioDecoder[][] _decoders = [];
    private IAudioEncoder[][] _encoders = [];
    private byte[] _payload = [];
    private short[] _pcm = [];
    private byte[] _out = [];

    [Params(1500)]
    public int Participants { get; set; }

    /// <summary>PCMU at 8 kHz (PSTN callers) or G.722 at 16 kHz (desk phones).</summary>
    [Params("PCMU", "G722")]
    public string Codec { get; set; } = "PCMU";

    [GlobalSetup]
    public void Setup()
    {
        var info = Codec == "PCMU" ? AudioCodecs.Pcmu : AudioCodecs.G722;
        int rooms = Participants / RoomSize;
        _rooms = new AudioMixer[rooms];
        _members = new MixerParticipant[rooms][];
        _decoders = new IAudioDecoder[rooms][];
        _encoders = new IAudioEncoder[rooms][];
        for (int r = 0; r < rooms; r++)
        {
            _rooms[r] = new AudioMixer(info.SampleRate);
            _members[r] = new MixerParticipant[RoomSize];
            _decoders[r] = new IAudioDecoder[RoomSize];
            _encoders[r] = new IAudioEncoder[RoomSize];
            for (int i = 0; i < RoomSize; i++)
            {
                _members[r][i] = _rooms[r].Add();
                _decoders[r][i] = AudioCodecFactory.CreateDecoder(info);
                _encoders[r][i] = AudioCodecFactory.CreateEncoder(info);
            }
            MixerRoles.Apply(_members[r][8], MixRole.Listener);
            MixerRoles.Apply(_members[r][9], MixRole.Whisperer, _members[r][0]);
        }
        int samples = info.SamplesPerFrame();
        _pcm = new short[samples];
        var rng = new Random(42);
        var speech = Enumerable.Range(0, samples).Select(i => (short)(6000 * Math.Sin(i * 0.3) + rng.Next(-500, 500))).ToArray();
        _payload = new byte[samples];
        _payload = _payload[..AudioCodecFactory.CreateEncoder(info).Encode(speech, _payload)];
        _out = new byte[samples];
    }

    [Benchmark]
    public int Tick()
    {
        int bytes = 0;
        for (int r = 0; r < _rooms.Length; r++)
        {
            var members = _members[r];
            for (int i = 0; i < RoomSize; i++)
            {
                int n = _decoders[r][i].Decode(_payload, _pcm);
                members[i].SetInput(_pcm.AsSpan(0, n));
            }
            _rooms[r].Mix();
            for (int i = 0; i < RoomSize; i++) bytes += _encoders[r][i].Encode(members[i].Output, _out);
        }
        return bytes;
    }
}
