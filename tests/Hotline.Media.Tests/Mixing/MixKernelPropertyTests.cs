using CsCheck;
using Hotline.Media.Mixing;

namespace Hotline.Media.Tests.Mixing;

/// <summary>
/// The vectorised kernels and the vectorised mixer give exactly what the scalar reference gives,
/// for random data and lengths that aren't multiples of the vector width.
/// </summary>
public class MixKernelPropertyTests
{
    private static readonly Gen<short[]> Samples = Gen.Short.Array[0, 300];

    [Fact]
    public void Accumulate_and_subtract_saturate_match_scalar_reference()
    {
        Gen.Select(Samples, Gen.Short.Array[300], Gen.Int[-200_000, 200_000]).Sample((own, other, bias) =>
        {
            int n = own.Length;
            var totalV = new int[n];
            var totalS = new int[n];
            for (int i = 0; i < n; i++)
                totalV[i] = totalS[i] = bias + other[i] * 3;
            MixKernels.Accumulate(totalV, own, vectorised: true);
            MixKernels.Accumulate(totalS, own, vectorised: false);
            Assert.Equal(totalS, totalV);

            var outV = new short[n];
            var outS = new short[n];
            MixKernels.SubtractSaturate(totalV, other.AsSpan(0, n), outV, vectorised: true);
            MixKernels.SubtractSaturate(totalS, other.AsSpan(0, n), outS, vectorised: false);
            Assert.Equal(outS, outV);
            for (int i = 0; i < n; i++)
                Assert.Equal((short)Math.Clamp((long)totalS[i] - other[i], short.MinValue, short.MaxValue), outS[i]);

            MixKernels.Saturate(totalV, outV, vectorised: true);
            MixKernels.Saturate(totalS, outS, vectorised: false);
            Assert.Equal(outS, outV);

            MixKernels.Subtract(totalV, own, vectorised: true);
            MixKernels.Subtract(totalS, own, vectorised: false);
            Assert.Equal(totalS, totalV);
        }, iter: 2000);
    }

    [Fact]
    public void Gain_matches_scalar_reference_and_saturates()
    {
        Gen.Select(Samples, Gen.Int[0, MixKernels.MaxGainQ12]).Sample((source, gain) =>
        {
            var v = new short[source.Length];
            var s = new short[source.Length];
            MixKernels.ApplyGain(source, v, gain, vectorised: true);
            MixKernels.ApplyGain(source, s, gain, vectorised: false);
            Assert.Equal(s, v);
            for (int i = 0; i < source.Length; i++)
                Assert.Equal((short)Math.Clamp(((long)source[i] * gain + 2048) >> 12, short.MinValue, short.MaxValue), s[i]);
        }, iter: 2000);
    }

    [Fact]
    public void Sum_of_squares_matches_scalar_reference()
    {
        Samples.Sample(source =>
        {
            double exact = source.Sum(x => (double)x * x);
            Assert.Equal(exact, MixKernels.SumOfSquares(source, vectorised: true), exact * 1e-5 + 1);
            Assert.Equal(exact, MixKernels.SumOfSquares(source, vectorised: false), exact * 1e-5 + 1);
        }, iter: 1000);
    }

    [Fact]
    public void Vectorised_mixer_equals_scalar_mixer_for_random_conferences()
    {
        // (participants, samples per frame, seed for inputs and flags)
        Gen.Select(Gen.Int[1, 12], Gen.Int[1, 250], Gen.Int).Sample((n, frame, seed) =>
        {
            var vector = new AudioMixer(8000, frame, 20, null, vectorised: true);
            var scalar = new AudioMixer(8000, frame, 20, null, vectorised: false);
            var pv = Enumerable.Range(0, n).Select(_ => vector.Add()).ToArray();
            var ps = Enumerable.Range(0, n).Select(_ => scalar.Add()).ToArray();
            var rng = new Random(seed);
            for (int i = 0; i < n; i++)
            {
                bool muted = rng.Next(5) == 0, deaf = rng.Next(6) == 0;
                int gain = rng.Next(4) == 0 ? rng.Next(0, MixKernels.MaxGainQ12 + 1) : MixKernels.UnityGainQ12;
                (pv[i].Muted, pv[i].Deaf, pv[i].GainQ12) = (muted, deaf, gain);
                (ps[i].Muted, ps[i].Deaf, ps[i].GainQ12) = (muted, deaf, gain);
                switch (rng.Next(6))
                {
                    case 0:
                        pv[i].SetListener();
                        ps[i].SetListener();
                        break;
                    case 1:
                        int[] audience = Enumerable.Range(0, n).Where(_ => rng.Next(2) == 0).ToArray();
                        pv[i].SetHeardOnlyBy(audience.Select(a => pv[a]).ToArray());
                        ps[i].SetHeardOnlyBy(audience.Select(a => ps[a]).ToArray());
                        break;
                }
            }
            for (int tick = 0; tick < 3; tick++)
            {
                for (int i = 0; i < n; i++)
                {
                    if (rng.Next(8) == 0)
                        continue;   // absent this tick
                    var input = new short[frame];
                    for (int k = 0; k < frame; k++)
                        input[k] = (short)rng.Next(short.MinValue, short.MaxValue + 1);
                    pv[i].SetInput(input);
                    ps[i].SetInput(input);
                }
                vector.Mix();
                scalar.Mix();
                for (int i = 0; i < n; i++)
                    Assert.Equal(ps[i].Output.ToArray(), pv[i].Output.ToArray());
            }
        }, iter: 500);
    }
}
