using Hotline.Media.Codecs;

namespace Hotline.MediaLoad;

/// <summary>
/// The generator's side of room mode. Leg i is in room i / room size; in each room the first
/// <c>talkers</c> legs send a tone (talker t at <see cref="ToneHz"/>(t)) and the others the low-level
/// noise of a quiet line, all encoded once at start with the project's encoders (a second of frames
/// played in a loop, so sending costs a copy). Mixing loses the stamps, so what comes back is counted
/// instead: the packets each leg receives in the window against the 50 a second the engine owes it
/// (every member hears the room; see <see cref="Owed"/>). The legs of three rooms are also decoded, to
/// check that every talker's tone reaches every other member of its room and that no talker hears its own.
/// </summary>
internal sealed class RoomTraffic
{
    public const int FramesPerSecond = 50;
    private const int LoopFrames = 50;
    private const int HeardFrames = 20;            // the last 0.4 s of the window, per sampled leg
    private const int NoiseAmplitude = 20;         // about -69 dBov: a quiet line, under the room's talker threshold
    private static readonly int[] s_marks = [0, 26, 10, 41, 53, 6, 34, 23, 1, 55];   // see ToneHz

    private readonly int _legs;
    private readonly int _roomSize;
    private readonly int _talkers;
    private readonly double _toneAmplitude;
    private readonly byte[][][] _tones;            // per talker, LoopFrames payloads
    private readonly byte[][] _noise;
    private readonly LegStream[] _streams;
    private readonly Listener?[] _listeners;
    private long _windowStart = long.MaxValue;
    private long _windowEnd = long.MaxValue;

    public RoomTraffic(AudioCodecInfo codec, int legs, int roomSize, int talkers)
    {
        Codec = codec;
        _legs = legs;
        _roomSize = roomSize;
        _talkers = Math.Min(talkers, roomSize);
        // 8000 (about -15 dBov) each, less when many talk: the sum must not saturate in the mix, whose clipping
        // would spread every tone's energy over the others' frequencies.
        _toneAmplitude = Math.Min(8000, 30000.0 / Math.Max(1, _talkers));
        _tones = [.. Enumerable.Range(0, _talkers).Select(t => Encode(n => _toneAmplitude * Math.Sin(2 * Math.PI * ToneHz(t) * n / codec.SampleRate)))];
        var random = new Random(12345);
        _noise = Encode(_ => random.Next(-NoiseAmplitude, NoiseAmplitude + 1));
        _streams = new LegStream[legs];
        _listeners = new Listener?[legs];
        int rooms = (legs + roomSize - 1) / roomSize;
        foreach (int room in new[] { 0, rooms / 2, rooms - 1 }.Distinct())
            for (int leg = room * roomSize; leg < Math.Min(legs, (room + 1) * roomSize); leg++)
                _listeners[leg] = new Listener(AudioCodecFactory.CreateDecoder(codec), HeardFrames * codec.SamplesPerFrame());
    }

    public AudioCodecInfo Codec { get; }

    /// <summary>"pcma" or "g722" (the codec the engine answers with).</summary>
    public static AudioCodecInfo CodecNamed(string name) => name.ToUpperInvariant() switch
    {
        "PCMA" => AudioCodecs.Pcma,
        "G722" => AudioCodecs.G722,
        _ => throw new ArgumentException($"room mode speaks pcma or g722, not '{name}'"),
    };

    /// <summary>
    /// Talker t's tone: 400 Hz + 55 Hz × a mark of a Golomb ruler (no two pairs of marks the same distance
    /// apart), so no third-order distortion product of the others' tones (2a - b, a + b - c, which the codecs'
    /// nonlinearity makes) falls on a talker's own frequency, as it would with evenly spaced tones. Multiples
    /// of 5 Hz: whole cycles in the one-second loop (no seam) and in the 0.4 s the check reads (a Goertzel bin).
    /// </summary>
    public static double ToneHz(int talker) => 400 + 55 * s_marks[talker % s_marks.Length];

    /// <summary>What leg <paramref name="leg"/> sends as its packet <paramref name="sequence"/>.</summary>
    public ReadOnlySpan<byte> Payload(int leg, int sequence)
    {
        int member = leg % _roomSize;
        return member < _talkers ? _tones[member][sequence % LoopFrames] : _noise[(sequence + leg) % LoopFrames];
    }

    public void OpenWindow(long unixNanoseconds) => Volatile.Write(ref _windowStart, unixNanoseconds);

    public void CloseWindow(long unixNanoseconds) => Volatile.Write(ref _windowEnd, unixNanoseconds);

    /// <summary>Receiver thread: packet <paramref name="sequence"/> of the engine's stream to <paramref name="leg"/> arrived (kernel time, Unix ns).</summary>
    public void Take(int leg, ushort sequence, ReadOnlySpan<byte> payload, long arrival)
    {
        if (arrival < Volatile.Read(ref _windowStart) || arrival >= Volatile.Read(ref _windowEnd))
            return;
        ref var stream = ref _streams[leg];
        if (stream.Received++ == 0)
        {
            stream.FirstArrival = arrival;
            stream.FirstSequence = stream.LastSequence = sequence;
        }
        else
        {
            // Extended past the 16-bit wrap: the step from the last one, as a signed 16-bit difference.
            stream.LastSequence += (short)(sequence - (ushort)stream.LastSequence);
        }
        stream.LastArrival = arrival;
        _listeners[leg]?.Hear(payload);
    }

    /// <summary>After the receiver stopped: the counts over the window and the content check.</summary>
    public RoomReport Report()
    {
        long ticksInWindow = (_windowEnd - _windowStart) / (1_000_000_000 / FramesPerSecond);
        long owed = 0, received = 0;
        double worst = 1;
        foreach (var stream in _streams)
        {
            long leg = Owed(stream, ticksInWindow);
            owed += leg;
            received += stream.Received;
            worst = Math.Min(worst, stream.Received / (double)leg);
        }
        int checkedLegs = 0, failed = 0;
        string? first = null;
        for (int leg = 0; leg < _legs; leg++)
        {
            if (_listeners[leg] is not { } listener)
                continue;
            checkedLegs++;
            if (Check(leg, listener) is { } problem)
            {
                failed++;
                first ??= problem;
            }
        }
        return new RoomReport(owed, received, worst, checkedLegs, failed, first);
    }

    /// <summary>
    /// What the engine owed one leg in the window: one packet per 20 ms tick. A window of W holds at least
    /// W / 20 ms whole ticks (more by one, depending on where the ticks fall, which the generator does not
    /// know); the stream's own span, in sequence numbers (packets lost on the way) and in time (ticks the
    /// engine sent nothing on), says when it was the one more, or when more went missing than that.
    /// </summary>
    private static long Owed(in LegStream stream, long ticksInWindow)
    {
        if (stream.Received == 0)
            return ticksInWindow;
        long bySequence = stream.LastSequence - stream.FirstSequence + 1;
        long byTime = (long)Math.Round((stream.LastArrival - stream.FirstArrival) / (1e9 / FramesPerSecond)) + 1;
        return Math.Max(ticksInWindow, Math.Max(bySequence, byTime));
    }

    /// <summary>Null when leg hears every other talker of its room and not itself, else what is wrong.</summary>
    private string? Check(int leg, Listener listener)
    {
        if (!listener.Full)
            return $"leg {leg} decoded only {listener.Frames} frames";
        var heard = listener.InOrder();
        int firstOfRoom = leg - leg % _roomSize;
        for (int t = 0; t < _talkers && firstOfRoom + t < _legs; t++)
        {
            bool own = leg == firstOfRoom + t;
            double level = Hotline.TestKit.Goertzel.Amplitude(heard, ToneHz(t), Codec.SampleRate);
            // Another talker is heard at a quarter of the level sent or more (codec and mix keep nearly all of it);
            // its own tone, 26 dB under it at most: fed back by the mix it would be at full level, while the coding
            // noise of many other tones can reach 100 or so (G.722, ten talkers).
            if (own ? level >= _toneAmplitude / 20 : level < _toneAmplitude / 4)
                return $"leg {leg} hears {ToneHz(t)} Hz at {level:F0} ({(own ? "its own tone" : "a talker")})";
        }
        return null;
    }

    /// <summary>Two seconds of a signal encoded by one encoder; the second kept, its coder state settled as it will be on every loop.</summary>
    private byte[][] Encode(Func<int, double> signal)
    {
        var encoder = AudioCodecFactory.CreateEncoder(Codec);
        int samples = Codec.SamplesPerFrame();
        var pcm = new short[samples];
        var frames = new byte[LoopFrames][];
        var payload = new byte[samples];
        for (int f = 0; f < 2 * LoopFrames; f++)
        {
            for (int i = 0; i < samples; i++)
                pcm[i] = (short)Math.Round(signal(f * samples + i));
            int length = encoder.Encode(pcm, payload);
            if (f >= LoopFrames)
                frames[f - LoopFrames] = payload[..length];
        }
        return frames;
    }

    /// <summary>What one leg received in the window: count, first and last arrival and (extended) sequence number.</summary>
    private struct LegStream
    {
        public int Received;
        public long FirstArrival;
        public long LastArrival;
        public long FirstSequence;
        public long LastSequence;
    }

    /// <summary>A sampled leg's decoder and the last frames it decoded in the window (a ring).</summary>
    private sealed class Listener(IAudioDecoder decoder, int capacity)
    {
        private readonly short[] _ring = new short[capacity];
        private readonly short[] _frame = new short[capacity];
        private long _samples;

        public long Frames { get; private set; }
        public bool Full => _samples >= _ring.Length;

        public void Hear(ReadOnlySpan<byte> payload)
        {
            int n = decoder.Decode(payload, _frame);
            for (int i = 0; i < n; i++)
                _ring[(_samples + i) % _ring.Length] = _frame[i];
            _samples += n;
            Frames++;
        }

        /// <summary>The ring from oldest to newest sample.</summary>
        public short[] InOrder()
        {
            int start = (int)(_samples % _ring.Length);
            return [.. _ring[start..], .. _ring[..start]];
        }
    }
}

/// <summary>Room mode's outcome over the window: packets owed and received, the worst leg, the content check.</summary>
internal sealed record RoomReport(long Expected, long Received, double WorstLegFraction, int ContentChecked, int ContentFailed, string? FirstProblem)
{
    public double MissingPercent => Expected <= 0 ? 100 : 100.0 * (Expected - Received) / Expected;
    public bool ContentOk => ContentChecked > 0 && ContentFailed == 0;
}
