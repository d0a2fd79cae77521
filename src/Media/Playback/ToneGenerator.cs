namespace Hotline.Media.Playback;

/// <summary>
/// Generates a <see cref="ToneSpec"/> frame by frame for one call leg: phase-continuous across
/// frames, cadence exact to the sample (durations are converted to sample counts once), no
/// allocation per frame. Not thread-safe: owned by the leg's media worker.
/// </summary>
public sealed class ToneGenerator
{
    /// <summary>
    /// A full-scale sine in 16-bit linear PCM is +3.14 dBm0 (G.711: the A-law digital milliwatt
    /// is 0 dBm0 at 3.14 dB below its maximum), so level L dBm0 has peak 32767 × 10^((L − 3.14)/20).
    /// </summary>
    private const double FullScaleDbm0 = 3.14;

    private readonly Segment[] _segments;
    private readonly int _repeatFrom;
    private int _index;
    private long _remaining;
    private uint _phase1;
    private uint _phase2;

    public ToneGenerator(ToneSpec spec, int sampleRate, double levelDbm0 = ChinaTones.LevelDbm0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 8000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(levelDbm0, FullScaleDbm0);
        Spec = spec;
        SampleRate = sampleRate;
        LevelDbm0 = levelDbm0;
        float amplitude = (float)(32767 * Math.Pow(10, (levelDbm0 - FullScaleDbm0) / 20));
        _segments = spec.Segments.Select(s => new Segment(
            s.DurationMilliseconds == 0 ? long.MaxValue : (long)s.DurationMilliseconds * sampleRate / 1000,
            SineTable.Increment(s.Frequency1, sampleRate),
            SineTable.Increment(s.Frequency2, sampleRate),
            s.Frequency1 == 0 ? 0 : amplitude,
            s.Frequency2 == 0 ? 0 : amplitude)).ToArray();
        _repeatFrom = spec.RepeatFrom;
        Reset();
    }

    /// <summary>Parses <paramref name="spec"/> (indications notation, e.g. "450/350,0/350").</summary>
    public ToneGenerator(string spec, int sampleRate, double levelDbm0 = ChinaTones.LevelDbm0)
        : this(ToneSpec.Parse(spec), sampleRate, levelDbm0)
    {
    }

    public ToneSpec Spec { get; }
    public int SampleRate { get; }
    public double LevelDbm0 { get; }

    /// <summary>True once a non-repeating tone has played all its parts; frames are silence from then on.</summary>
    public bool IsFinished { get; private set; }

    /// <summary>Samples generated since construction or <see cref="Reset"/>.</summary>
    public long Position { get; private set; }

    /// <summary>Back to the start of the cadence.</summary>
    public void Reset()
    {
        _index = 0;
        _remaining = _segments[0].Samples;
        _phase1 = _phase2 = 0;
        IsFinished = false;
        Position = 0;
    }

    /// <summary>Fills <paramref name="frame"/> with the next samples of the tone.</summary>
    public void Read(Span<short> frame)
    {
        int written = 0;
        while (written < frame.Length)
        {
            if (IsFinished)
            {
                frame[written..].Clear();
                break;
            }
            int n = (int)Math.Min(frame.Length - written, _remaining);
            Generate(_segments[_index], frame.Slice(written, n));
            written += n;
            _remaining -= n;
            if (_remaining == 0)
                Advance();
        }
        Position += frame.Length;
    }

    private void Generate(in Segment s, Span<short> output)
    {
        if (s.Amplitude1 == 0 && s.Amplitude2 == 0)
        {
            output.Clear();
            return;
        }
        uint p1 = _phase1, p2 = _phase2;
        for (int i = 0; i < output.Length; i++)
        {
            float v = s.Amplitude1 * SineTable.Sin(p1) + s.Amplitude2 * SineTable.Sin(p2);
            output[i] = (short)Math.Clamp(MathF.Round(v), short.MinValue, short.MaxValue);
            p1 += s.Increment1;
            p2 += s.Increment2;
        }
        _phase1 = p1;
        _phase2 = p2;
    }

    private void Advance()
    {
        var previous = _segments[_index];
        int next = _index + 1;
        if (next == _segments.Length)
        {
            if (_repeatFrom < 0)
            {
                IsFinished = true;
                return;
            }
            next = _repeatFrom;
        }
        _index = next;
        _remaining = _segments[next].Samples;
        // A burst after silence or at a new pitch starts at zero phase (no click); the same
        // frequencies carry on from where they were, so "450/100,450/100" is one continuous tone.
        var current = _segments[next];
        if (current.Increment1 != previous.Increment1 || current.Increment2 != previous.Increment2 ||
            previous.Amplitude1 == 0 && previous.Amplitude2 == 0)
        {
            _phase1 = _phase2 = 0;
        }
    }

    private readonly record struct Segment(long Samples, uint Increment1, uint Increment2, float Amplitude1, float Amplitude2);
}
