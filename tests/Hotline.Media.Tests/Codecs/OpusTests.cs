using Hotline.Media.Codecs;

namespace Hotline.Media.Tests.Codecs;

public sealed class OpusTests
{
    private static void Log(string message) => TestContext.Current.TestOutputHelper?.WriteLine(message);

    private static List<byte[]> EncodeAll(ReadOnlySpan<short> pcm, int sampleRate, OpusOptions? options = null)
    {
        var encoder = new OpusAudioEncoder(sampleRate, options);
        int frame = sampleRate / 50;
        var packets = new List<byte[]>();
        var payload = new byte[OpusAudioEncoder.MaxPacketBytes];
        for (int at = 0; at + frame <= pcm.Length; at += frame)
        {
            int n = encoder.Encode(pcm.Slice(at, frame), payload);
            Assert.True(n > 0);
            packets.Add(payload[..n]);
        }
        return packets;
    }

    private static short[] DecodeAll(List<byte[]> packets, int sampleRate)
    {
        var decoder = new OpusAudioDecoder(sampleRate);
        int frame = sampleRate / 50;
        var pcm = new short[packets.Count * frame];
        for (int i = 0; i < packets.Count; i++)
            Assert.Equal(frame, decoder.Decode(packets[i], pcm.AsSpan(i * frame, frame)));
        return pcm;
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    [InlineData(48000)]
    public void Round_trip_of_a_tone_keeps_frequency_and_level(int sampleRate)
    {
        var tone = TestAudio.Sine(1000, sampleRate, 1.0, amplitude: 8000);
        var decoded = DecodeAll(EncodeAll(tone, sampleRate), sampleRate);
        var settled = decoded.AsSpan(sampleRate / 5);
        double frequency = SignalMeasure.DominantFrequency(settled, sampleRate);
        double level = 20 * Math.Log10(SignalMeasure.ToneAmplitude(settled, 1000, sampleRate) / 8000);
        Log($"{sampleRate} Hz: dominant {frequency} Hz, level {level:F2} dB");
        Assert.Equal(1000, frequency);
        // Opus is perceptual, not waveform-exact, but a pure tone at 16-32 kbit/s keeps its level within
        // a fraction of a dB; ±1.5 dB fails on a wrong PCM rate or a gain error.
        Assert.InRange(level, -1.5, 1.5);
    }

    [Theory]
    [InlineData(8000, 5)]
    [InlineData(16000, 6)]
    public void Round_trip_of_speech_keeps_the_waveform_and_its_spectrum(int sampleRate, double minimumSnr)
    {
        var speech = TestAudio.Speech(sampleRate);
        var decoded = DecodeAll(EncodeAll(speech, sampleRate), sampleRate);
        var (reference, test, lag) = SignalMeasure.Align(speech, decoded, sampleRate / 50);
        double snr = SignalMeasure.Snr(reference, test);
        double segmental = SignalMeasure.SegmentalSnr(reference, test, sampleRate / 50);
        double envelope = EnvelopeCorrelation(reference, test, sampleRate / 50);
        Log($"{sampleRate} Hz speech: lag {lag}, SNR {snr:F1} dB, segmental {segmental:F1} dB, envelope correlation {envelope:F3}");
        // Opus (SILK at these rates) codes what is heard, not the exact waveform, so waveform SNR of speech
        // at 16-24 kbit/s is modest: about 7 dB at 8 kHz and 9 dB at 16 kHz measured here (segmental 6-7 dB).
        // The thresholds (5 and 6 dB) still fail for anything broken: a wrong rate, dropped or reordered
        // frames or misaligned audio score near or below 0 dB.
        Assert.True(snr > minimumSnr, $"SNR {snr:F1} dB");
        // The per-20 ms energy envelope (syllables, pauses) must follow the original closely (0.99 measured).
        Assert.True(envelope > 0.95, $"envelope correlation {envelope:F3}");
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public void FEC_from_the_next_packet_rebuilds_a_lost_frame_better_than_PLC(int sampleRate)
    {
        var speech = TestAudio.Speech(sampleRate);
        int frame = sampleRate / 50;
        var packets = EncodeAll(speech, sampleRate, new OpusOptions(ExpectedLossPercent: 20));
        var clean = DecodeAll(packets, sampleRate);

        // Lose every 10th frame that carries speech, in two decoders: one conceals with PLC, the other
        // rebuilds the frame from the FEC data in the packet after it. Score both against the loss-free decode.
        var plc = new OpusAudioDecoder(sampleRate);
        var fec = new OpusAudioDecoder(sampleRate);
        var a = new short[frame];
        var b = new short[frame];
        double plcScore = 0, fecScore = 0;
        int losses = 0;
        for (int i = 0; i < packets.Count - 1; i++)
        {
            var truth = clean.AsSpan(i * frame, frame);
            bool lose = i > 10 && i % 10 == 0 && SignalMeasure.Rms(truth) > 1000;
            if (!lose)
            {
                plc.Decode(packets[i], a);
                fec.Decode(packets[i], b);
                continue;
            }
            Assert.Equal(frame, plc.Conceal(a));
            Assert.Equal(frame, fec.DecodeFec(packets[i + 1], b));
            plcScore += Math.Clamp(SignalMeasure.Snr(truth, a), -10, 35);
            fecScore += Math.Clamp(SignalMeasure.Snr(truth, b), -10, 35);
            losses++;
        }
        plcScore /= losses;
        fecScore /= losses;
        Log($"{sampleRate} Hz: {losses} lost frames, PLC {plcScore:F1} dB, FEC {fecScore:F1} dB");
        Assert.True(losses >= 10);
        // PLC extrapolates the previous frame, so it only matches steady sounds (about 1.5 dB on average
        // here); LBRR is a coarser coding of the very frame (about 10-11 dB here), so it must do clearly
        // better: by at least 5 dB.
        Assert.True(fecScore > plcScore + 5, $"FEC {fecScore:F1} dB vs PLC {plcScore:F1} dB");
    }

    [Fact]
    public void Bad_frames_and_payloads_are_refused_and_counted_without_throwing()
    {
        var encoder = new OpusAudioEncoder(16000);
        Assert.Equal(0, encoder.Encode(new short[300], new byte[400]));   // 18.75 ms is not an Opus frame
        Assert.Equal(1, encoder.Rejected);

        var decoder = new OpusAudioDecoder(16000);
        var pcm = new short[320];
        Assert.Equal(0, decoder.Decode([], pcm));
        // TOC byte for a 60 ms frame (config 3, SILK NB 60 ms) does not fit a 20 ms buffer.
        Assert.Equal(0, decoder.Decode([(3 << 3), 0, 0], pcm));
        // Code 3 packet claiming 0 frames is invalid (RFC 6716 §3.2.5).
        Assert.Equal(0, decoder.Decode([0x03, 0x00], pcm));
        Assert.Equal(3, decoder.Rejected);
        Assert.Equal(320, decoder.Conceal(pcm));
    }

    private static double EnvelopeCorrelation(ReadOnlySpan<short> a, ReadOnlySpan<short> b, int segment)
    {
        var x = new List<double>();
        var y = new List<double>();
        for (int at = 0; at + segment <= a.Length; at += segment)
        {
            x.Add(SignalMeasure.Rms(a.Slice(at, segment)));
            y.Add(SignalMeasure.Rms(b.Slice(at, segment)));
        }
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }
}
