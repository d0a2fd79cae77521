using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Hotline.Media.Codecs;

/// <summary>
/// Rational sample-rate converter for one stream (e.g. 8↔16↔48 kHz): conceptually up-samples by L,
/// low-pass filters, and down-samples by M, computed as a polyphase FIR so only the needed outputs are
/// evaluated. Filter history is carried from call to call, so consecutive 20 ms frames join seamlessly.
/// The prototype is a Kaiser-windowed sinc (80 dB stopband) whose passband ends at 85 % of the lower
/// Nyquist frequency and whose stopband starts at that Nyquist frequency: 3.4 kHz / 4 kHz for 8 kHz,
/// the edge of the telephone band, so what a down-conversion folds back is attenuated by 80 dB.
/// Group delay: <see cref="DelaySamples"/> output samples (about 4 ms). Allocates nothing after construction.
/// </summary>
public sealed class Resampler
{
    private const double StopbandAttenuationDb = 80;
    private const double PassbandEdge = 0.85;
    // Input converted per pass: 20 ms at 16 kHz; a longer frame (48 kHz) takes several passes.
    private const int Chunk = 320;
    private static readonly ConcurrentDictionary<(int Input, int Output), Design> s_designs = new();

    private readonly int _up;
    private readonly int _down;
    private readonly int _taps;
    private readonly float[] _coefficients;
    private readonly float[] _buffer;
    private long _next;

    /// <summary>Creates a converter from <paramref name="inputRate"/> to <paramref name="outputRate"/> Hz.</summary>
    public Resampler(int inputRate, int outputRate)
    {
        if (inputRate <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputRate), inputRate, "Sample rate must be positive.");
        if (outputRate <= 0)
            throw new ArgumentOutOfRangeException(nameof(outputRate), outputRate, "Sample rate must be positive.");
        InputRate = inputRate;
        OutputRate = outputRate;
        var design = s_designs.GetOrAdd((inputRate, outputRate), static rates => Design.For(rates.Input, rates.Output));
        _up = design.Up;
        _down = design.Down;
        _taps = design.Taps;
        _coefficients = design.Coefficients;
        DelaySamples = design.DelaySamples;
        // Equal rates copy and keep no history (a call recorded at its codec's rate has two of these).
        _buffer = _up == 1 && _down == 1 ? [] : new float[_taps - 1 + Chunk];
    }

    /// <summary>Input sample rate in Hz.</summary>
    public int InputRate { get; }

    /// <summary>Output sample rate in Hz.</summary>
    public int OutputRate { get; }

    /// <summary>Delay the filter adds, in output samples.</summary>
    public double DelaySamples { get; }

    /// <summary>Calls refused because the output span could not hold the result.</summary>
    public long Rejected { get; private set; }

    /// <summary>
    /// Output samples that converting <paramref name="inputLength"/> more input samples produces now
    /// (exactly inputLength·out/in when that is whole, as for 20 ms frames of 8, 16 and 48 kHz).
    /// </summary>
    public int OutputLength(int inputLength)
    {
        long available = (long)inputLength * _up - _next;
        return available <= 0 ? 0 : (int)((available + _down - 1) / _down);
    }

    /// <summary>
    /// Converts <paramref name="input"/> and writes <see cref="OutputLength"/> samples to <paramref name="output"/>;
    /// returns that count, or 0 (consuming nothing) if <paramref name="output"/> is too short.
    /// </summary>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        int total = OutputLength(input.Length);
        if (output.Length < total)
        {
            Rejected++;
            return 0;
        }
        if (_up == 1 && _down == 1)
        {
            input.CopyTo(output);
            return input.Length;
        }
        int written = 0;
        while (!input.IsEmpty)
        {
            int n = Math.Min(Chunk, input.Length);
            written += ProcessChunk(input[..n], output[written..]);
            input = input[n..];
        }
        return written;
    }

    /// <summary>Forgets the history, as for a new stream.</summary>
    public void Reset()
    {
        Array.Clear(_buffer);
        _next = 0;
    }

    private int ProcessChunk(ReadOnlySpan<short> input, Span<short> output)
    {
        int history = _taps - 1;
        Span<float> buffer = _buffer.AsSpan(0, history + input.Length);
        for (int i = 0; i < input.Length; i++)
            buffer[history + i] = input[i];

        int written = 0;
        long end = (long)input.Length * _up;
        long position = _next;
        ref float coefficients = ref MemoryMarshal.GetArrayDataReference(_coefficients);
        ref float samples = ref MemoryMarshal.GetReference(buffer);
        for (; position < end; position += _down)
        {
            int index = (int)(position / _up);
            int phase = (int)(position - (long)index * _up);
            float y = Dot(ref Unsafe.Add(ref coefficients, phase * _taps), ref Unsafe.Add(ref samples, index), _taps);
            output[written++] = y >= short.MaxValue ? short.MaxValue : y <= short.MinValue ? short.MinValue : (short)MathF.Round(y);
        }
        _next = position - end;
        buffer.Slice(input.Length, history).CopyTo(buffer);
        return written;
    }

    // Length is a multiple of Vector<float>.Count by construction of _taps.
    private static float Dot(ref float a, ref float b, int length)
    {
        var sum = Vector<float>.Zero;
        for (int i = 0; i < length; i += Vector<float>.Count)
            sum += Vector.LoadUnsafe(ref a, (nuint)i) * Vector.LoadUnsafe(ref b, (nuint)i);
        return Vector.Sum(sum);
    }

    /// <summary>
    /// One rate pair's filter, shared by every converter of that pair (a call's streams all convert between
    /// the same few rates, and the coefficients never change): designed once, not per call.
    /// </summary>
    private sealed record Design(int Up, int Down, int Taps, float[] Coefficients, double DelaySamples)
    {
        public static Design For(int inputRate, int outputRate)
        {
            int gcd = Gcd(inputRate, outputRate);
            int up = outputRate / gcd;
            int down = inputRate / gcd;
            if (up == 1 && down == 1)
                return new Design(1, 1, 1, [1f], 0);

            // Kaiser design (Oppenheim & Schafer §7.6): length from the attenuation and transition width at the
            // prototype rate L·fin, β from the attenuation.
            double prototypeRate = (double)inputRate * up;
            double nyquist = Math.Min(inputRate, outputRate) / 2.0;
            double transition = (1 - PassbandEdge) * nyquist;
            double cutoff = (1 + PassbandEdge) / 2 * nyquist;
            int length = (int)Math.Ceiling((StopbandAttenuationDb - 8) / (2.285 * 2 * Math.PI * transition / prototypeRate)) + 1;
            // Taps per phase, rounded up to whole SIMD vectors (the extra taps are zero).
            int width = Vector<float>.Count;
            int taps = ((length + up - 1) / up + width - 1) / width * width;
            double beta = 0.1102 * (StopbandAttenuationDb - 8.7);
            double center = (length - 1) / 2.0;
            var prototype = new double[taps * up];
            for (int n = 0; n < length; n++)
            {
                double t = n - center;
                double x = 2 * cutoff / prototypeRate * t;
                double sinc = t == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);
                double ratio = 2.0 * n / (length - 1) - 1;
                double window = BesselI0(beta * Math.Sqrt(1 - ratio * ratio)) / BesselI0(beta);
                // Gain L restores the level lost by zero-stuffing when up-sampling.
                prototype[n] = 2 * cutoff / prototypeRate * sinc * window * up;
            }
            // Phase p holds h[p], h[p+L], h[p+2L], … reversed, so each output is one contiguous dot product
            // with the input history (oldest first).
            var coefficients = new float[up * taps];
            for (int p = 0; p < up; p++)
                for (int k = 0; k < taps; k++)
                    coefficients[p * taps + k] = (float)prototype[p + (taps - 1 - k) * up];
            return new Design(up, down, taps, coefficients, center / down);
        }
    }

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1;
        for (int k = 1; k < 50; k++)
        {
            term *= x / (2 * k) * (x / (2 * k));
            sum += term;
            if (term < 1e-12 * sum)
                break;
        }
        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
            (a, b) = (b, a % b);
        return a;
    }
}
