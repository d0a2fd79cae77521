using Hotline.Media.Codecs;
using Hotline.Media.Dtmf;
using Hotline.Media.Jitter;
using Hotline.Media.Rtp;

namespace Hotline.Media.Engine;

/// <summary>
/// Turns one leg's incoming audio into one 20 ms PCM frame per engine tick, for the paths that need a
/// steady cadence: transcoding, mixing, recording and in-band DTMF detection. Packets go into an adaptive
/// jitter buffer on arrival; each tick pulls as many packets as the frame needs (a peer sending 30 ms
/// packets is pulled on two ticks out of three, the rest kept in a small sample FIFO), decodes them, and
/// conceals lost ones with the decoder's own PLC. Relaying does not come through here: it forwards on
/// arrival and leaves the jitter buffering to the far end.
/// Allocates nothing per packet or frame.
/// </summary>
internal sealed class ReceivePipeline
{
    private const int MaxPacketMilliseconds = 120;

    // Scratch shared by every pipeline a thread pulls (a worker pulls one leg at a time): the payload the
    // jitter buffer gives and the PCM it decodes to are used within one Pull, so a buffer per leg would
    // only hold memory (and be a cold cache line) for the time between ticks.
    [ThreadStatic]
    private static byte[]? t_payload;
    [ThreadStatic]
    private static short[]? t_decoded;

    private readonly JitterBuffer _jitter;
    private readonly IAudioDecoder _decoder;
    private InbandDtmfDetector? _detector;
    private bool _detecting;
    private readonly int _maxPayload;
    private readonly int _maxDecoded;
    private short[] _fifo;
    private readonly int _packetSamples;
    private int _fifoCount;
    private int _consumed;    // samples at the FIFO's start given out by the last Pull, dropped at the next

    /// <param name="codec">The negotiated codec (decoded at its PCM rate).</param>
    /// <param name="packetMilliseconds">The packet time the peer sends with (from SDP; 20 when unstated).</param>
    public ReceivePipeline(AudioCodecInfo codec, int packetMilliseconds, int minDepthFrames, int maxDepthFrames)
    {
        Codec = codec;
        _decoder = AudioCodecFactory.CreateDecoder(codec);
        SampleRate = codec.SampleRate;
        FrameSamples = codec.SamplesPerFrame(20);
        _packetSamples = codec.SamplesPerFrame(packetMilliseconds);
        int maxDepth = Math.Max(maxDepthFrames, minDepthFrames);
        int capacity = 8;
        while (capacity <= maxDepth + 2)
            capacity *= 2;
        // Accepts the longest packet of this codec (Opus packets are at most 1275 bytes), but stores packets
        // of the negotiated time until a longer one comes.
        bool opus = codec.Name.Equals("opus", StringComparison.OrdinalIgnoreCase);
        _maxPayload = opus ? OpusAudioEncoder.MaxPacketBytes : Math.Max(160, BytesPerMillisecond(codec) * MaxPacketMilliseconds);
        int expectedPayload = Math.Min(_maxPayload, BytesPerMillisecond(codec) * Math.Max(packetMilliseconds, 20));
        _jitter = new JitterBuffer(new JitterBufferOptions
        {
            Capacity = capacity,
            MaxPayloadSize = _maxPayload,
            InitialPayloadSize = expectedPayload,
            ClockRate = codec.ClockRate,
            FrameDuration = TimeSpan.FromMilliseconds(packetMilliseconds),
            MinDepth = minDepthFrames,
            MaxDepth = maxDepth,
        });
        _maxDecoded = codec.SamplesPerFrame(MaxPacketMilliseconds);
        // A frame plus one packet of the negotiated time; widened if the peer sends longer packets.
        _fifo = new short[FrameSamples + Math.Max(_packetSamples, FrameSamples)];
    }

    /// <summary>The in-band DTMF detector works at these PCM rates only.</summary>
    public static bool CanDetectInband(int sampleRate) => sampleRate is 8000 or 16000;

    public AudioCodecInfo Codec { get; }
    public int SampleRate { get; }
    public int FrameSamples { get; }
    /// <summary>
    /// Runs the in-band DTMF detector over the frames (at 8 or 16 kHz only). Turned on when something
    /// listens for the peer's digits, off when nothing does; it starts afresh each time.
    /// </summary>
    public bool DetectsInband
    {
        get => _detecting;
        set
        {
            value &= CanDetectInband(SampleRate);
            if (value && !_detecting)
            {
                _detector ??= new InbandDtmfDetector(SampleRate);
                _detector.Reset();
            }
            _detecting = value;
        }
    }
    public JitterBuffer Jitter => _jitter;

    /// <summary>The frame the last successful <see cref="Pull"/> gave (valid until the next Pull).</summary>
    public ReadOnlySpan<short> LastFrame => _fifo.AsSpan(0, FrameSamples);

    /// <summary>Frames given out, concealed ones included.</summary>
    public long Frames { get; private set; }

    /// <summary>Frames made up by the decoder's concealment (lost, late or undecodable packets).</summary>
    public long ConcealedFrames { get; private set; }

    public void Push(in RtpHeader header, ReadOnlySpan<byte> payload, TimeSpan now) => _jitter.Push(header, payload, now);

    /// <summary>Forgets buffered audio (the pipeline was idle and is wanted again).</summary>
    public void Restart()
    {
        _jitter.Reset();
        _fifoCount = 0;
        _consumed = 0;
        _detector?.Reset();
    }

    /// <summary>
    /// The frame for this tick at <see cref="SampleRate"/>, or empty while the jitter buffer is filling
    /// (nothing heard yet, or after a long silence). In-band digits found in it go to <paramref name="digits"/>.
    /// </summary>
    public ReadOnlySpan<short> Pull(TimeSpan now, Span<char> digits, out int digitCount)
    {
        digitCount = 0;
        if (_consumed > 0)
        {
            // Drop what the last tick gave out; with 20 ms packets nothing is left to move.
            _fifoCount -= _consumed;
            if (_fifoCount > 0)
                _fifo.AsSpan(_consumed, _fifoCount).CopyTo(_fifo);
            _consumed = 0;
        }
        while (_fifoCount < FrameSamples)
        {
            var payload = t_payload is { } p && p.Length >= _maxPayload ? p : t_payload = new byte[_maxPayload];
            var result = _jitter.Pull(now, payload);
            if (result.Status == JitterBufferStatus.Buffering)
                break;
            int decoded = 0;
            if (result.Status == JitterBufferStatus.Frame)
            {
                var pcm = t_decoded is { } d && d.Length >= _maxDecoded ? d : t_decoded = new short[_maxDecoded];
                decoded = _decoder.Decode(payload.AsSpan(0, result.PayloadLength), pcm);
                if (decoded > 0)
                    pcm.AsSpan(0, decoded).CopyTo(Space(decoded));
            }
            if (decoded == 0)
            {
                decoded = _decoder.Conceal(Space(_packetSamples)[.._packetSamples]);
                ConcealedFrames++;
            }
            _fifoCount += decoded;
        }
        if (_fifoCount < FrameSamples)
            return default;

        _consumed = FrameSamples;
        Frames++;
        var frame = _fifo.AsSpan(0, FrameSamples);
        if (_detecting)
            digitCount = _detector!.Process(frame, digits);
        return frame;
    }

    // Room for `samples` more at the FIFO's end; a packet longer than negotiated widens it (once).
    private Span<short> Space(int samples)
    {
        if (_fifoCount + samples > _fifo.Length)
        {
            var wider = new short[_fifoCount + Math.Max(samples, FrameSamples)];
            _fifo.AsSpan(0, _fifoCount).CopyTo(wider);
            _fifo = wider;
        }
        return _fifo.AsSpan(_fifoCount);
    }

    private static int BytesPerMillisecond(AudioCodecInfo codec) =>
        codec.Name.Equals("L16", StringComparison.OrdinalIgnoreCase) ? codec.SampleRate * 2 / 1000 : 8;
}
