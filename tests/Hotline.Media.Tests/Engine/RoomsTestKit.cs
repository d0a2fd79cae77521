using System.Net;
using Hotline.Media.Codecs;
using Hotline.Media.Engine;
using Hotline.Media.Tests.Mixing;

namespace Hotline.Media.Tests.Engine;

/// <summary>
/// A room on fake time: legs on a <see cref="FakeWorker"/> in a <see cref="ConferenceCore"/>, each fed by a
/// far end that sends its own tone in its own codec, one packet per tick; what the room sends each leg is
/// captured and decoded, so a test can ask which tones a party hears.
/// </summary>
internal sealed class RoomRig
{
    private int _next;

    public RoomRig(int sampleRate = 8000, MediaEngineOptions? options = null)
    {
        Worker = new FakeWorker(options);
        Room = new ConferenceCore(sampleRate);
        Worker.Add(Room);
    }

    public FakeWorker Worker { get; }
    public ConferenceCore Room { get; }
    public List<Party> Parties { get; } = [];

    /// <summary>A negotiated leg whose phone sends <paramref name="tone"/> (0: silence, nothing sent); not in the room yet.</summary>
    public Party Leg(string label, double tone, AudioCodecInfo? codec = null)
    {
        int index = ++_next;
        codec ??= AudioCodecs.Pcma;
        int payloadType = codec.StaticPayloadType >= 0 ? codec.StaticPayloadType : 96;
        var leg = Worker.AddLeg(label, out var sink, seed: index);
        var phoneAt = new IPEndPoint(IPAddress.Parse($"10.0.0.{index}"), 4000);
        leg.Apply(Negotiations.Of(codec, payloadType, 101, phoneAt), Worker.Now);
        var party = new Party(label, leg, sink, codec, payloadType, phoneAt, tone, (uint)(0x1000 + index));
        Parties.Add(party);
        return party;
    }

    /// <summary>A leg that joins the room as <paramref name="role"/>.</summary>
    public Party Join(string label, double tone, AudioCodecInfo? codec = null, ConferenceRole role = ConferenceRole.Talker, Party? heardOnlyBy = null)
    {
        var party = Leg(label, tone, codec);
        party.Member = Room.Add(party.Leg, null, role, heardOnlyBy?.Member);
        Assert.NotNull(party.Member);
        return party;
    }

    /// <summary><paramref name="ticks"/> ticks, every party with a tone sending one packet before each.</summary>
    public void Run(int ticks)
    {
        for (int t = 0; t < ticks; t++)
        {
            foreach (var party in Parties)
                party.Send(Worker.Now);
            Worker.RunTick();
        }
    }

    /// <summary>Forgets what everyone heard so far (to look only at what follows a change).</summary>
    public void ClearHeard()
    {
        foreach (var party in Parties)
            party.Sink.Clear();
    }
}

/// <summary>One leg of a <see cref="RoomRig"/> and the phone at its far end.</summary>
internal sealed class Party
{
    private readonly IAudioEncoder _encoder;
    private readonly Phone _phone;
    private readonly System.Net.SocketAddress _from;
    private readonly short[] _frame;
    private long _sample;

    public Party(string label, RtpLeg leg, CapturingSink sink, AudioCodecInfo codec, int payloadType, IPEndPoint phoneAt, double tone, uint ssrc)
    {
        Label = label;
        Leg = leg;
        Sink = sink;
        Codec = codec;
        PayloadType = payloadType;
        Tone = tone;
        _encoder = AudioCodecFactory.CreateEncoder(codec);
        _phone = new Phone(ssrc);
        _from = phoneAt.Serialize();
        _frame = new short[codec.SamplesPerFrame(20)];
    }

    public string Label { get; }
    public RtpLeg Leg { get; }
    public CapturingSink Sink { get; }
    public AudioCodecInfo Codec { get; }
    public int PayloadType { get; }
    public ConferenceCore.Member? Member { get; set; }

    /// <summary>The tone the phone sends (0: it sends nothing).</summary>
    public double Tone { get; set; }

    public void Send(TimeSpan now)
    {
        if (Tone != 0)
            Deliver(NextPacket(), now);
    }

    /// <summary>The phone's next packet (20 ms of its tone), not yet delivered.</summary>
    public byte[] NextPacket()
    {
        for (int i = 0; i < _frame.Length; i++)
            _frame[i] = (short)Math.Round(8000 * Math.Sin(2 * Math.PI * Tone * _sample++ / Codec.SampleRate));
        return _phone.Packet((byte)PayloadType, Audio.Encode(_encoder, _frame), Codec.TimestampsPerFrame(20));
    }

    /// <summary>A packet arrives at the leg from the phone's address.</summary>
    public void Deliver(byte[] packet, TimeSpan now) => Leg.OnRtp(packet, _from, now);

    /// <summary>What the room sent this party (since the last clear), decoded.</summary>
    public short[] Heard() => Audio.Decode(Codec, Sink.Packets().Where(p => p.Header.PayloadType == PayloadType).Select(p => p.Payload));

    /// <summary>
    /// The tones among <paramref name="candidates"/> this party hears over its last <paramref name="milliseconds"/>:
    /// present means at least 2,000 (the phones send at 8,000; codecs and resampling keep most of it), absent
    /// means under 100; anything between fails the test as neither.
    /// </summary>
    public IReadOnlyList<double> Hears(double[] candidates, int milliseconds = 400)
    {
        var heard = Heard();
        int window = Codec.SampleRate * milliseconds / 1000;
        Assert.True(heard.Length >= window, $"{Label} got {heard.Length} samples, wanted at least {window}");
        var span = heard.AsSpan(heard.Length - window);
        var present = new List<double>();
        foreach (var f in candidates)
        {
            double level = Goertzel.Amplitude(span, f, Codec.SampleRate);
            if (level >= 2000)
                present.Add(f);
            else if (level >= 100)
                Assert.Fail($"{Label} hears {f} Hz at {level:F0}: neither clearly present nor absent");
        }
        return present;
    }

    public override string ToString() => Label;
}
