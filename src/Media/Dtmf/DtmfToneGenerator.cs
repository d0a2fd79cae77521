namespace Hotline.Media.Dtmf;

/// <summary>
/// Writes a key's dual tone (ITU-T Q.23) into PCM frames, continuing its phase from frame to frame.
/// Levels are per tone in dBm0, with a full-scale sine at +3.14 dBm0 (G.711 A-law).
/// </summary>
public sealed class DtmfToneGenerator
{
    private const double FullScaleSineDbm0 = 3.14;
    private double _lowStep, _highStep, _lowPhase, _highPhase, _lowAmplitude, _highAmplitude;

    public DtmfToneGenerator(int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 8000);
        SampleRate = sampleRate;
    }

    public int SampleRate { get; }
    public char Digit { get; private set; }
    public bool IsActive => Digit != '\0';

    /// <param name="levelDbm0">Level of the low-group tone, in dBm0 (e.g. -7 as phones send, -25 for a weak line).</param>
    /// <param name="twistDb">Level of the high-group tone relative to the low one (positive = high tone stronger).</param>
    public void Start(char digit, double levelDbm0 = -7, double twistDb = 0)
    {
        var (low, high) = DtmfDigits.Frequencies(digit);
        Digit = char.ToUpperInvariant(digit);
        _lowStep = 2 * Math.PI * low / SampleRate;
        _highStep = 2 * Math.PI * high / SampleRate;
        _lowPhase = 0;
        _highPhase = 0;
        _lowAmplitude = 32767 * Math.Pow(10, (levelDbm0 - FullScaleSineDbm0) / 20);
        _highAmplitude = 32767 * Math.Pow(10, (levelDbm0 + twistDb - FullScaleSineDbm0) / 20);
        if (_lowAmplitude + _highAmplitude > 32767) throw new ArgumentOutOfRangeException(nameof(levelDbm0), "the two tones together would clip");
    }

    public void Stop() => Digit = '\0';

    /// <summary>Overwrites <paramref name="frame"/> with the tone, or with silence when stopped.</summary>
    public void Write(Span<short> frame)
    {
        if (!IsActive)
        {
            frame.Clear();
            return;
        }
        for (int i = 0; i < frame.Length; i++)
        {
            frame[i] = (short)Math.Round(_lowAmplitude * Math.Sin(_lowPhase) + _highAmplitude * Math.Sin(_highPhase));
            _lowPhase += _lowStep;
            _highPhase += _highStep;
        }
        // Keep the phases small so precision does not drift over long tones.
        _lowPhase %= 2 * Math.PI;
        _highPhase %= 2 * Math.PI;
    }
}
