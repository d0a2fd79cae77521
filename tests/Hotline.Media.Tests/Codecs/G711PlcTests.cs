using Hotline.Media.Codecs;

namespace Hotline.Media.Tests.Codecs;

public sealed class G711PlcTests
{
    // A steady voiced-like signal: 160 Hz fundamental (period 50 samples, inside Appendix I's
    // 66–200 Hz pitch range) with two harmonics.
    private static short[] Voiced(int sampleRate, double seconds)
    {
        var x = new short[(int)(sampleRate * seconds)];
        for (int i = 0; i < x.Length; i++)
        {
            double t = (double)i / sampleRate;
            x[i] = (short)(6000 * Math.Sin(2 * Math.PI * 160 * t) + 3000 * Math.Sin(2 * Math.PI * 320 * t + 1) + 1500 * Math.Sin(2 * Math.PI * 480 * t + 2));
        }
        return x;
    }

    private static (short[] Concealed, short[] Truth) LoseOneFrame(IAudioEncoder encoder, IAudioDecoder decoder, short[] signal, int frame, int lostIndex)
    {
        var payload = new byte[frame * 2];
        var pcm = new short[frame];
        for (int f = 0; f < lostIndex; f++)
        {
            int n = encoder.Encode(signal.AsSpan(f * frame, frame), payload);
            decoder.Decode(payload.AsSpan(0, n), pcm);
        }
        var concealed = new short[frame];
        Assert.Equal(frame, decoder.Conceal(concealed));
        return (concealed, signal.AsSpan(lostIndex * frame, frame).ToArray());
    }

    [Fact]
    public void A_lost_frame_in_a_steady_voiced_signal_is_concealed_close_to_the_true_continuation()
    {
        var signal = Voiced(8000, 1);
        var (concealed, truth) = LoseOneFrame(new PcmuEncoder(), new PcmuDecoder(), signal, 160, 20);

        // The first 10 ms repeat the detected pitch period unattenuated: for a periodic signal that is the
        // continuation itself, so only G.711 quantisation noise (~35 dB) and loop smoothing remain. 20 dB
        // fails if the pitch is wrong (a period off by one sample already drifts the phase) or absent.
        double firstHalf = SignalMeasure.Snr(truth.AsSpan(0, 80), concealed.AsSpan(0, 80));
        Assert.True(firstHalf > 20, $"first 10 ms SNR {firstHalf:F1} dB");

        // The second 10 ms are faded by up to 20 % (Appendix I), which alone limits SNR to about 20 dB at
        // its end (21 dB measured over the frame); 15 dB still rules out silence (0 dB) or a misaligned repeat (< 3 dB).
        double whole = SignalMeasure.Snr(truth, concealed);
        TestContext.Current.TestOutputHelper?.WriteLine($"PCMU concealment: first 10 ms {firstHalf:F1} dB, frame {whole:F1} dB");
        Assert.True(whole > 15, $"frame SNR {whole:F1} dB");

        // Silence as "concealment" for comparison, to show the bar means something.
        Assert.True(SignalMeasure.Snr(truth, new short[160]) < 0.5);
    }

    [Fact]
    public void Long_loss_attenuates_by_10_ms_steps_to_silence_after_60_ms()
    {
        var signal = Voiced(8000, 1);
        var encoder = new PcmaEncoder();
        var decoder = new PcmaDecoder();
        var payload = new byte[160];
        var pcm = new short[160];
        for (int f = 0; f < 20; f++)
        {
            encoder.Encode(signal.AsSpan(f * 160, 160), payload);
            decoder.Decode(payload, pcm);
        }
        var lost = new short[800];
        for (int f = 0; f < 5; f++)
            decoder.Conceal(lost.AsSpan(f * 160, 160));

        // Gain of each concealed 10 ms block against the true signal over the same span. Appendix I:
        // block 0 unattenuated, then a linear ramp losing 20 % per 10 ms (block means 0.9, 0.7, 0.5, 0.3, 0.1), then silence.
        var gain = Enumerable.Range(0, 10)
            .Select(i => SignalMeasure.Rms(lost.AsSpan(i * 80, 80)) / SignalMeasure.Rms(signal.AsSpan(3200 + i * 80, 80)))
            .ToArray();
        double[] expected = [1.0, 0.9, 0.7, 0.5, 0.3, 0.1];
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(gain[i] - expected[i]) < 0.08, $"10 ms block {i}: gain {gain[i]:F2}, expected about {expected[i]}");
        for (int i = 6; i < 10; i++)
            Assert.Equal(0, gain[i]);
    }

    [Fact]
    public void The_first_good_frame_after_a_loss_joins_without_a_click()
    {
        var signal = Voiced(8000, 1);
        var encoder = new PcmuEncoder();
        var decoder = new PcmuDecoder();
        var payload = new byte[160];
        var output = new List<short>();
        var pcm = new short[160];
        for (int f = 0; f < 40; f++)
        {
            encoder.Encode(signal.AsSpan(f * 160, 160), payload);
            if (f is 20 or 21)
                decoder.Conceal(pcm);
            else
                decoder.Decode(payload, pcm);
            output.AddRange(pcm);
        }
        // Largest sample-to-sample step of the clean signal bounds what a smooth join may show.
        int cleanStep = 0;
        for (int i = 1; i < signal.Length; i++)
            cleanStep = Math.Max(cleanStep, Math.Abs(signal[i] - signal[i - 1]));
        for (int i = 20 * 160; i < 23 * 160; i++)
            Assert.True(Math.Abs(output[i] - output[i - 1]) <= cleanStep * 1.3, $"step of {Math.Abs(output[i] - output[i - 1])} at sample {i}");
    }

    [Fact]
    public void The_concealer_works_at_16kHz_for_L16_wideband()
    {
        var signal = Voiced(16000, 1);
        var (concealed, truth) = LoseOneFrame(new L16Encoder(16000), new L16Decoder(16000), signal, 320, 20);
        // Same algorithm with every constant doubled; L16 adds no coding noise, so the first 10 ms repeat
        // the period almost exactly.
        double firstHalf = SignalMeasure.Snr(truth.AsSpan(0, 160), concealed.AsSpan(0, 160));
        TestContext.Current.TestOutputHelper?.WriteLine($"L16 16 kHz concealment: first 10 ms {firstHalf:F1} dB");
        Assert.True(firstHalf > 20, $"first 10 ms SNR {firstHalf:F1} dB");
    }

    [Fact]
    public void Concealers_share_their_loss_buffers_so_a_leg_losing_for_the_first_time_allocates_nothing()
    {
        // Two concealers on one thread, as two legs on one media worker: the first loss anywhere makes the
        // buffer, the end of that loss returns it, and the other leg's first loss takes the same one.
        var signal = Voiced(8000, 1);
        var frame = new short[160];
        var first = new G711Plc();
        var second = new G711Plc();
        for (int f = 0; f < 10; f++)
        {
            signal.AsSpan(f * 160, 160).CopyTo(frame);
            first.Received(frame);
            signal.AsSpan(f * 160, 160).CopyTo(frame);
            second.Received(frame);
        }
        first.Conceal(frame);
        signal.AsSpan(1600, 160).CopyTo(frame);
        first.Received(frame);

        long before = GC.GetAllocatedBytesForCurrentThread();
        second.Conceal(frame);
        Assert.True(second.IsConcealing);
        signal.AsSpan(1760, 160).CopyTo(frame);
        second.Received(frame);
        first.Conceal(frame);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void After_a_stall_in_which_every_leg_concealed_the_next_one_allocates_nothing()
    {
        // A worker that stalls makes all its legs conceal at once; the buffers they borrowed must all come
        // back to the pool, so that the next stall does not allocate (and drop) hundreds of them again.
        var signal = Voiced(8000, 1);
        var frame = new short[160];
        var legs = Enumerable.Range(0, 300).Select(_ => new G711Plc()).ToArray();
        foreach (var leg in legs)
        {
            for (int f = 0; f < 10; f++)
            {
                signal.AsSpan(f * 160, 160).CopyTo(frame);
                leg.Received(frame);
            }
        }
        void Stall()
        {
            foreach (var leg in legs)
                leg.Conceal(frame);
            foreach (var leg in legs)
            {
                signal.AsSpan(1600, 160).CopyTo(frame);
                leg.Received(frame);
            }
        }
        Stall();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Stall();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
