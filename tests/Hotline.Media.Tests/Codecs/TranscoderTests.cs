using Hotline.Media.Codecs;

namespace Hotline.Media.Tests.Codecs;

public sealed class TranscoderTests
{
    public static TheoryData<string, string> CodecPairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var from in AudioCodecs.All)
            foreach (var to in AudioCodecs.All)
                data.Add(Key(from), Key(to));
        return data;
    }

    private static string Key(AudioCodecInfo info) => $"{info.Name}/{info.SampleRate}";

    private static AudioCodecInfo Find(string key) => AudioCodecs.All.Single(c => Key(c) == key);

    [Theory]
    [MemberData(nameof(CodecPairs))]
    public void A_1kHz_tone_survives_transcoding_with_its_frequency_and_level(string fromKey, string toKey)
    {
        AudioCodecInfo from = Find(fromKey), to = Find(toKey);
        var tone = TestAudio.Sine(1000, from.SampleRate, 1.0, amplitude: 8000);
        var sourceEncoder = AudioCodecFactory.CreateEncoder(from);
        var transcoder = new Transcoder(from, to);
        var sinkDecoder = AudioCodecFactory.CreateDecoder(to);
        int inFrame = from.SamplesPerFrame(), outFrame = to.SamplesPerFrame();
        var payload = new byte[1500];
        var transcoded = new byte[1500];
        var output = new short[tone.Length / inFrame * outFrame];
        for (int f = 0; f < tone.Length / inFrame; f++)
        {
            int n = sourceEncoder.Encode(tone.AsSpan(f * inFrame, inFrame), payload);
            int m = transcoder.Transcode(payload.AsSpan(0, n), transcoded);
            Assert.True(m > 0, $"frame {f} produced no payload");
            Assert.Equal(outFrame, sinkDecoder.Decode(transcoded.AsSpan(0, m), output.AsSpan(f * outFrame, outFrame)));
        }
        var settled = output.AsSpan(to.SampleRate / 5);
        Assert.Equal(1000, SignalMeasure.DominantFrequency(settled, to.SampleRate));
        double level = 20 * Math.Log10(SignalMeasure.ToneAmplitude(settled, 1000, to.SampleRate) / 8000);
        // Up to two lossy codecs and a resampler in the chain: each keeps a 1 kHz tone within a fraction
        // of a dB (G.711 ±0.1, G.722 ±0.1, Opus ±0.3, resampler ±0.01); ±1 dB allows for their sum.
        // Except narrowband Opus at its default 16 kbit/s with 10 % FEC: SILK spends so few bits on a tone
        // that already carries another codec's noise that it comes out up to about 2 dB low (measured:
        // -2.0 dB after G.711, -0.3 dB at 24 kbit/s), so that sink or source may lose up to 3 dB.
        bool narrowbandOpus = from == AudioCodecs.OpusNarrowband || to == AudioCodecs.OpusNarrowband;
        Assert.InRange(level, narrowbandOpus ? -3 : -1, 1);
        Assert.Equal(0, transcoder.Concealed);
    }

    [Fact]
    public void A_missing_frame_is_filled_with_the_source_decoders_concealment()
    {
        var tone = TestAudio.Sine(500, 8000, 1.0, amplitude: 8000);
        var encoder = new PcmaEncoder();
        var transcoder = new Transcoder(AudioCodecs.Pcma, AudioCodecs.G722);
        var decoder = new G722Decoder();
        var payload = new byte[160];
        var transcoded = new byte[160];
        var pcm = new short[320];
        var output = new short[50 * 320];
        for (int f = 0; f < 50; f++)
        {
            encoder.Encode(tone.AsSpan(f * 160, 160), payload);
            int m = f == 30 ? transcoder.TranscodeMissing(transcoded) : transcoder.Transcode(payload, transcoded);
            Assert.Equal(160, m);
            decoder.Decode(transcoded, output.AsSpan(f * 320, 320));
        }
        Assert.Equal(1, transcoder.Concealed);
        // The concealed frame carries the tone on (Appendix I repeats whole periods; 500 Hz is 16 samples),
        // not silence: its first 10 ms keep nearly the level of the frames around it.
        double around = SignalMeasure.Rms(output.AsSpan(29 * 320, 320));
        double concealed = SignalMeasure.Rms(output.AsSpan(30 * 320, 160));
        Assert.InRange(concealed / around, 0.8, 1.2);
        Assert.Equal(500, SignalMeasure.DominantFrequency(output.AsSpan(30 * 320, 320), 16000));
    }

    [Fact]
    public void An_undecodable_payload_is_concealed_and_counted()
    {
        var transcoder = new Transcoder(AudioCodecs.OpusWideband, AudioCodecs.Pcmu);
        var output = new byte[160];
        Assert.Equal(160, transcoder.Transcode([0x03, 0x00], output));
        Assert.Equal(1, transcoder.Undecodable);
        Assert.Equal(1, transcoder.Concealed);
    }
}
