namespace Hotline.Media.Codecs;

/// <summary>
/// Packet-loss concealment after ITU-T G.711 Appendix I: on the first lost 10 ms the pitch is found by
/// normalised cross-correlation over the history, and the last pitch period is repeated, its loop point
/// smoothed by an overlap-add of a quarter period; the second and third lost 10 ms add one more period
/// each (less buzzy than repeating one period); from the second 10 ms on the output is attenuated by 20 %
/// per 10 ms, so it is silent after 60 ms; the first good frame after a loss is overlap-added with the
/// synthetic continuation over a length that grows with the loss.
/// Unlike the Appendix I reference this version adds no 3.75 ms output delay: the loop point is smoothed
/// in the copy that is repeated, not in samples already played. The constants are those of Appendix I at
/// 8 kHz and scale with the sample rate, so G.722 (16 kHz) uses the same algorithm.
/// </summary>
public sealed class G711Plc
{
    private const float AttenuationPer10Ms = 0.2f;
    private const float CorrelationMinimumPower = 250f;

    private readonly int _pitchMax;
    private readonly int _pitchDifference;
    private readonly int _historyLength;
    private readonly int _correlationLength;
    private readonly int _decimation;
    private readonly int _subframe;
    private readonly int _endOverlapIncrement;
    private readonly float _attenuationPerSample;
    // The last _historyLength samples as they were played, a ring starting at _historyStart: a good frame
    // costs one copy in (no shifting, no conversion); floats are made only when a loss begins.
    private readonly short[] _history;
    private int _historyStart;
    // Used only while concealing, lent for the length of a loss (ConcealmentBuffers): the history as floats
    // (_historyLength) followed by the quarter period before the loop point (_pitchMax / 4).
    private float[]? _pitchBuffer;
    private int _erasedSubframes;
    private int _pitch;
    private int _overlap;
    private int _pitchBlockLength;
    private int _offset;

    /// <summary>Creates the concealer for PCM at <paramref name="sampleRate"/> (a multiple of 8000).</summary>
    public G711Plc(int sampleRate = 8000)
    {
        if (sampleRate <= 0 || sampleRate % 8000 != 0)
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "G711Plc needs a multiple of 8000 Hz.");
        int scale = sampleRate / 8000;
        SampleRate = sampleRate;
        // Appendix I: pitch 40..120 samples (200..66.7 Hz), history of 3 periods plus a quarter, 20 ms
        // correlation window, coarse search on every 2nd sample, 10 ms frames, 4 ms more end overlap per 10 ms lost.
        int pitchMin = 40 * scale;
        _pitchMax = 120 * scale;
        _pitchDifference = _pitchMax - pitchMin;
        _historyLength = _pitchMax * 3 + (_pitchMax >> 2);
        _correlationLength = 160 * scale;
        _decimation = 2 * scale;
        _subframe = 80 * scale;
        _endOverlapIncrement = 32 * scale;
        _attenuationPerSample = AttenuationPer10Ms / _subframe;
        _history = new short[_historyLength];
    }

    /// <summary>Rate of the PCM this instance conceals.</summary>
    public int SampleRate { get; }

    /// <summary>True while frames are being concealed (until the next good frame).</summary>
    public bool IsConcealing => _erasedSubframes > 0;

    /// <summary>
    /// Records a good frame in the history. After a loss it first blends the start of
    /// <paramref name="frame"/> with the synthetic continuation (Appendix I, end of erasure), in place.
    /// </summary>
    public void Received(Span<short> frame)
    {
        if (_erasedSubframes > 0)
        {
            int length = Math.Min(Math.Min(_overlap + (_erasedSubframes - 1) * _endOverlapIncrement, _subframe), frame.Length);
            Span<float> synthetic = stackalloc float[length];
            ReadPeriodic(synthetic);
            float gain = Math.Max(0f, 1f - (_erasedSubframes - 1) * AttenuationPer10Ms);
            float step = 1f / length;
            for (int i = 0; i < length; i++)
            {
                float weight = (i + 1) * step;
                float fading = synthetic[i] * gain * (1f - weight);
                frame[i] = Saturate(fading + frame[i] * weight);
                gain = Math.Max(0f, gain - _attenuationPerSample);
            }
            _erasedSubframes = 0;
            ConcealmentBuffers.Return(_pitchBuffer!);
            _pitchBuffer = null;
        }
        AppendHistory(frame);
    }

    /// <summary>Fills <paramref name="output"/> with concealment for lost audio, 10 ms at a time.</summary>
    public void Conceal(Span<short> output)
    {
        while (output.Length > 0)
        {
            int length = Math.Min(_subframe, output.Length);
            ConcealSubframe(output[..length]);
            output = output[length..];
        }
    }

    private void ConcealSubframe(Span<short> output)
    {
        Span<float> synthetic = stackalloc float[output.Length];
        if (_erasedSubframes == 0)
        {
            _pitchBuffer ??= ConcealmentBuffers.Rent(_historyLength + (_pitchMax >> 2));
            CopyHistory(_pitchBuffer);
            _pitch = FindPitch();
            _overlap = _pitch >> 2;
            _pitchBuffer.AsSpan(_historyLength - _overlap, _overlap).CopyTo(_pitchBuffer.AsSpan(_historyLength));
            _pitchBlockLength = _pitch;
            _offset = 0;
            SmoothLoopPoint();
            ReadPeriodic(synthetic);
        }
        else if (_erasedSubframes is 1 or 2)
        {
            // One more period in the loop (Appendix I): cross-fade from the old loop's continuation.
            Span<float> previous = stackalloc float[_overlap];
            int savedOffset = _offset;
            ReadPeriodic(previous);
            _offset = savedOffset % _pitch;
            _pitchBlockLength += _pitch;
            SmoothLoopPoint();
            ReadPeriodic(synthetic);
            float step = 1f / _overlap;
            for (int i = 0; i < _overlap && i < synthetic.Length; i++)
            {
                float weight = (i + 1) * step;
                synthetic[i] = previous[i] * (1f - weight) + synthetic[i] * weight;
            }
        }
        else if (_erasedSubframes <= 5)
        {
            ReadPeriodic(synthetic);
        }
        else
        {
            synthetic.Clear();
        }

        if (_erasedSubframes > 0)
        {
            float gain = 1f - (_erasedSubframes - 1) * AttenuationPer10Ms;
            for (int i = 0; i < synthetic.Length; i++)
            {
                synthetic[i] *= Math.Max(0f, gain);
                gain -= _attenuationPerSample;
            }
        }
        for (int i = 0; i < synthetic.Length; i++)
            output[i] = Saturate(synthetic[i]);
        _erasedSubframes++;
        AppendHistory(output);
    }

    // The repeated block is the last _pitchBlockLength samples of the history; its last quarter period is
    // cross-faded into the samples just before the block start, so wrapping from its end to its start is smooth.
    private void SmoothLoopPoint()
    {
        int end = _historyLength;
        int start = end - _pitchBlockLength;
        float step = 1f / _overlap;
        for (int i = 0; i < _overlap; i++)
        {
            float weight = (i + 1) * step;
            _pitchBuffer![end - _overlap + i] = _pitchBuffer[end + i] * (1f - weight) + _pitchBuffer[start - _overlap + i] * weight;
        }
    }

    private void ReadPeriodic(Span<float> destination)
    {
        int start = _historyLength - _pitchBlockLength;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = _pitchBuffer![start + _offset];
            if (++_offset == _pitchBlockLength)
                _offset = 0;
        }
    }

    // Appendix I pitch search: maximise the correlation of the last 20 ms with the window one lag earlier,
    // normalised by that window's energy; coarse on decimated samples, then refined around the best lag.
    private int FindPitch()
    {
        ReadOnlySpan<float> x = _pitchBuffer.AsSpan(0, _historyLength);
        int recent = _historyLength - _correlationLength;
        int earliest = recent - _pitchMax;
        float minimumPower = CorrelationMinimumPower * (_decimation / 2);

        float energy = 0, correlation = 0;
        for (int i = 0; i < _correlationLength; i += _decimation)
        {
            energy += x[earliest + i] * x[earliest + i];
            correlation += x[earliest + i] * x[recent + i];
        }
        float best = correlation / MathF.Sqrt(Math.Max(energy, minimumPower));
        int bestMatch = 0;
        for (int j = _decimation; j <= _pitchDifference; j += _decimation)
        {
            int leaving = earliest + j - _decimation;
            energy += x[leaving + _correlationLength] * x[leaving + _correlationLength] - x[leaving] * x[leaving];
            correlation = 0;
            for (int i = 0; i < _correlationLength; i += _decimation)
                correlation += x[earliest + j + i] * x[recent + i];
            float normalised = correlation / MathF.Sqrt(Math.Max(energy, minimumPower));
            if (normalised >= best)
            {
                best = normalised;
                bestMatch = j;
            }
        }

        int from = Math.Max(bestMatch - (_decimation - 1), 0);
        int to = Math.Min(bestMatch + _decimation - 1, _pitchDifference);
        best = float.MinValue;
        for (int j = from; j <= to; j++)
        {
            float e = 0, c = 0;
            for (int i = 0; i < _correlationLength; i++)
            {
                e += x[earliest + j + i] * x[earliest + j + i];
                c += x[earliest + j + i] * x[recent + i];
            }
            float normalised = c / MathF.Sqrt(Math.Max(e, CorrelationMinimumPower * _decimation));
            if (normalised >= best)
            {
                best = normalised;
                bestMatch = j;
            }
        }
        return _pitchMax - bestMatch;
    }

    private void AppendHistory(ReadOnlySpan<short> frame)
    {
        if (frame.Length >= _historyLength)
        {
            frame[^_historyLength..].CopyTo(_history);
            _historyStart = 0;
            return;
        }
        // The oldest samples are overwritten where the ring starts, wrapping at its end.
        int first = Math.Min(frame.Length, _historyLength - _historyStart);
        frame[..first].CopyTo(_history.AsSpan(_historyStart));
        frame[first..].CopyTo(_history);
        _historyStart = (_historyStart + frame.Length) % _historyLength;
    }

    // The history in order, oldest first, as floats.
    private void CopyHistory(Span<float> destination)
    {
        int older = _historyLength - _historyStart;
        for (int i = 0; i < older; i++)
            destination[i] = _history[_historyStart + i];
        for (int i = 0; i < _historyStart; i++)
            destination[older + i] = _history[i];
    }

    private static short Saturate(float value) =>
        value >= short.MaxValue ? short.MaxValue : value <= short.MinValue ? short.MinValue : (short)MathF.Round(value);
}
