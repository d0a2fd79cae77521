using System.Runtime.Intrinsics;

namespace Hotline.Media.Dtmf;

/// <summary>
/// Detects DTMF tones in PCM (8 or 16 kHz) with the Goertzel algorithm over blocks of 12.75 ms (102
/// samples at 8 kHz, as in common practice: fine enough to see a 40 ms tone in two whole blocks, wide
/// enough to separate adjacent Q.23 frequencies). A block holds a digit when one row and one column tone
/// are strong enough, within the twist limits, clearly above the other tones of their groups, the column
/// tone clean of a second harmonic, and the two tones hold most of the block's energy. A digit is
/// reported once it holds for the minimum duration; the next digit needs a gap. State is per stream and
/// carries across frames of any length; processing allocates nothing.
/// </summary>
public sealed class InbandDtmfDetector
{
    // dBm0 of a full-scale 16-bit sine (G.711 A-law: +3.14 dBm0).
    private const double FullScaleSineDbm0 = 3.14;
    private const int Tones = 8;
    private const int Filters = Tones + 4; // 4 rows, 4 columns, 4 column second harmonics

    private readonly float[] _coefficients = new float[Filters];
    private readonly float[] _energy = new float[Filters];

    // Goertzel state: the 8 fundamentals in one 256-bit vector, the 4 column harmonics in a 128-bit one,
    // so a sample updates every filter in two vector operations.
    private readonly Vector256<float> _toneCoefficients;
    private readonly Vector128<float> _harmonicCoefficients;
    private Vector256<float> _toneS1, _toneS2;
    private Vector128<float> _harmonicS1, _harmonicS2;
    private readonly int _blockSize;
    private readonly float _minimumToneEnergy;
    private readonly float _normalTwist;
    private readonly float _reverseTwist;
    private readonly float _relativePeak;
    private readonly float _harmonicRejection;
    private readonly float _toneRatio;
    private readonly int _requiredHits;
    private readonly int _gapBlocks;

    private int _samplesInBlock;
    private float _blockEnergy;
    private char _candidate;
    private int _candidateHits;
    private char _reported;
    private int _misses;

    public InbandDtmfDetector(int sampleRate, InbandDtmfOptions? options = null)
    {
        if (sampleRate is not (8000 or 16000)) throw new ArgumentOutOfRangeException(nameof(sampleRate), "8000 or 16000 Hz");
        options ??= new InbandDtmfOptions();
        SampleRate = sampleRate;
        _blockSize = 102 * sampleRate / 8000;
        for (int i = 0; i < 4; i++)
        {
            _coefficients[i] = Coefficient(DtmfDigits.RowFrequencies[i]);
            _coefficients[4 + i] = Coefficient(DtmfDigits.ColumnFrequencies[i]);
            _coefficients[8 + i] = Coefficient(2 * DtmfDigits.ColumnFrequencies[i]);
        }
        _toneCoefficients = Vector256.Create(_coefficients.AsSpan(0, 8));
        _harmonicCoefficients = Vector128.Create(_coefficients.AsSpan(8, 4));

        // A sine of amplitude A holds N*A^2/2 over a block; energies below are on that scale.
        double amplitude = 32767 * Math.Pow(10, (options.MinimumLevelDbm0 - FullScaleSineDbm0) / 20);
        _minimumToneEnergy = (float)(_blockSize * amplitude * amplitude / 2);
        _normalTwist = DbToRatio(options.NormalTwistDb);
        _reverseTwist = DbToRatio(options.ReverseTwistDb);
        _relativePeak = DbToRatio(options.RelativePeakDb);
        _harmonicRejection = DbToRatio(options.SecondHarmonicRejectionDb);
        _toneRatio = (float)options.MinimumToneEnergyRatio;

        // A tone of duration D always covers floor((D - block + 1) / block) whole blocks.
        int minimumSamples = (int)(options.MinimumDuration.Ticks * sampleRate / TimeSpan.TicksPerSecond);
        _requiredHits = Math.Max(2, (minimumSamples - _blockSize + 1) / _blockSize);
        int gapSamples = (int)(options.MinimumGap.Ticks * sampleRate / TimeSpan.TicksPerSecond);
        _gapBlocks = Math.Max(2, (gapSamples + _blockSize - 1) / _blockSize);
    }

    public int SampleRate { get; }

    /// <summary>The digit currently held down, or '\0'.</summary>
    public char CurrentDigit => _reported;

    /// <summary>
    /// Feeds one frame of PCM and writes the digits that became valid during it into
    /// <paramref name="digits"/> (one 20 ms frame yields at most one). Returns how many were written;
    /// digits beyond the span's length are dropped.
    /// </summary>
    public int Process(ReadOnlySpan<short> pcm, Span<char> digits)
    {
        int found = 0;
        var toneS1 = _toneS1; var toneS2 = _toneS2;
        var harmonicS1 = _harmonicS1; var harmonicS2 = _harmonicS2;
        var toneC = _toneCoefficients;
        var harmonicC = _harmonicCoefficients;
        float blockEnergy = _blockEnergy;
        int inBlock = _samplesInBlock;
        for (int n = 0; n < pcm.Length; n++)
        {
            float x = pcm[n];
            blockEnergy += x * x;
            var tone = Vector256.Create(x) + toneC * toneS1 - toneS2;
            toneS2 = toneS1;
            toneS1 = tone;
            var harmonic = Vector128.Create(x) + harmonicC * harmonicS1 - harmonicS2;
            harmonicS2 = harmonicS1;
            harmonicS1 = harmonic;
            if (++inBlock < _blockSize) continue;

            char digit = EndBlock(toneS1, toneS2, harmonicS1, harmonicS2, blockEnergy);
            toneS1 = toneS2 = default;
            harmonicS1 = harmonicS2 = default;
            blockEnergy = 0;
            inBlock = 0;
            if (OnBlock(digit) && found < digits.Length) digits[found++] = digit;
        }
        _toneS1 = toneS1; _toneS2 = toneS2;
        _harmonicS1 = harmonicS1; _harmonicS2 = harmonicS2;
        _blockEnergy = blockEnergy;
        _samplesInBlock = inBlock;
        return found;
    }

    public void Reset()
    {
        _toneS1 = _toneS2 = default;
        _harmonicS1 = _harmonicS2 = default;
        _samplesInBlock = 0;
        _blockEnergy = 0;
        _candidate = '\0';
        _candidateHits = 0;
        _reported = '\0';
        _misses = 0;
    }

    // Finishes the Goertzel filters of a block and says which digit, if any, the block holds.
    private char EndBlock(Vector256<float> toneS1, Vector256<float> toneS2, Vector128<float> harmonicS1, Vector128<float> harmonicS2, float total)
    {
        // |X|^2 = s1^2 + s2^2 - c*s1*s2; times 2/N it is N*A^2/2 for a sine of amplitude A on the frequency.
        float scale = 2f / _blockSize;
        var tone = (toneS1 * toneS1 + toneS2 * toneS2 - _toneCoefficients * toneS1 * toneS2) * scale;
        var harmonic = (harmonicS1 * harmonicS1 + harmonicS2 * harmonicS2 - _harmonicCoefficients * harmonicS1 * harmonicS2) * scale;
        tone.CopyTo(_energy);
        harmonic.CopyTo(_energy.AsSpan(8));

        int row = Strongest(0), column = Strongest(4);
        float rowEnergy = _energy[row], columnEnergy = _energy[4 + column];
        if (rowEnergy < _minimumToneEnergy || columnEnergy < _minimumToneEnergy) return '\0';
        if (rowEnergy > columnEnergy * _normalTwist || columnEnergy > rowEnergy * _reverseTwist) return '\0';
        for (int i = 0; i < 4; i++)
        {
            if (i != row && _energy[i] * _relativePeak > rowEnergy) return '\0';
            if (i != column && _energy[4 + i] * _relativePeak > columnEnergy) return '\0';
        }
        if (_energy[8 + column] * _harmonicRejection > columnEnergy) return '\0';
        if (rowEnergy + columnEnergy < _toneRatio * total) return '\0';
        return DtmfDigits.AtPosition(row, column);
    }

    // Debounces block decisions; true when a new digit becomes valid.
    private bool OnBlock(char digit)
    {
        if (digit != '\0' && digit == _candidate) _candidateHits++;
        else
        {
            _candidate = digit;
            _candidateHits = digit == '\0' ? 0 : 1;
        }

        if (_reported != '\0')
        {
            if (digit == _reported) _misses = 0;
            else if (++_misses >= _gapBlocks) _reported = '\0';
            return false;
        }
        if (digit == '\0' || _candidateHits < _requiredHits) return false;
        _reported = digit;
        _misses = 0;
        return true;
    }

    private int Strongest(int first)
    {
        int best = first;
        for (int i = first + 1; i < first + 4; i++)
            if (_energy[i] > _energy[best]) best = i;
        return best - first;
    }

    private float Coefficient(int frequency) => (float)(2 * Math.Cos(2 * Math.PI * frequency / SampleRate));

    private static float DbToRatio(double db) => (float)Math.Pow(10, db / 10);
}
