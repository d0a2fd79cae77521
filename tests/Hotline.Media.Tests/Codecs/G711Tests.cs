using Hotline.Media.Codecs;

namespace Hotline.Media.Tests.Codecs;

public sealed class G711Tests
{
    [Fact]
    public void Every_ALaw_code_decodes_and_reencodes_to_itself()
    {
        for (int code = 0; code < 256; code++)
            Assert.Equal((byte)code, G711.LinearToALaw(G711.ALawToLinear((byte)code)));
    }

    [Fact]
    public void Every_MuLaw_code_except_negative_zero_decodes_and_reencodes_to_itself()
    {
        for (int code = 0; code < 256; code++)
        {
            // µ-law has two zeros (G.711 Table 2a): 0xFF (+0) and 0x7F (−0); both decode to 0, which encodes as +0.
            byte expected = code == 0x7F ? (byte)0xFF : (byte)code;
            Assert.Equal(expected, G711.LinearToMuLaw(G711.MuLawToLinear((byte)code)));
        }
        Assert.Equal(0, G711.MuLawToLinear(0x7F));
    }

    // sox rounds 16-bit input to 14 (µ-law) / 13 (A-law) bits before compressing, while G.711 and the Sun /
    // ITU STL code truncate (keep the most significant bits). Giving sox the truncated sample removes that
    // difference, so every one of the 65,536 inputs is checked against sox's compressor for the same
    // 14- or 13-bit value. (ffmpeg's pcm_mulaw/pcm_alaw build their own tables from decision midpoints and
    // differ from G.711 in the top segments, so they serve only as a decoding reference below.)
    [Theory]
    [InlineData("mu-law", 2)]
    [InlineData("a-law", 3)]
    public void Encoding_every_16_bit_sample_matches_sox(string law, int droppedBits)
    {
        ExternalTool.Require("sox");
        var dir = ExternalTool.TempDirectory();
        var input = new short[65536];
        for (int i = 0; i < input.Length; i++)
            input[i] = (short)((i - 32768) & ~((1 << droppedBits) - 1));
        TestAudio.WriteRaw(Path.Combine(dir, "in.raw"), input);
        ExternalTool.Run("sox", "-D", "-t", "raw", "-r", "8000", "-e", "signed", "-b", "16", "-c", "1", Path.Combine(dir, "in.raw"),
            "-t", "raw", "-e", law, "-b", "8", Path.Combine(dir, "out.raw"));
        var reference = File.ReadAllBytes(Path.Combine(dir, "out.raw"));
        Assert.Equal(65536, reference.Length);

        var ours = new byte[65536];
        var all = new short[65536];
        for (int i = 0; i < all.Length; i++)
            all[i] = (short)(i - 32768);
        if (droppedBits == 2)
            G711.EncodeMuLaw(all, ours);
        else
            G711.EncodeALaw(all, ours);

        for (int i = 0; i < ours.Length; i++)
            Assert.True(reference[i] == ours[i], $"sample {i - 32768}: sox 0x{reference[i]:X2}, ours 0x{ours[i]:X2}");
    }

    [Theory]
    [InlineData("sox", "mu-law")]
    [InlineData("sox", "a-law")]
    [InlineData("ffmpeg", "mu-law")]
    [InlineData("ffmpeg", "a-law")]
    public void Decoding_all_256_codes_matches_reference(string tool, string law)
    {
        ExternalTool.Require(tool);
        var dir = ExternalTool.TempDirectory();
        string codes = Path.Combine(dir, "codes.bin"), output = Path.Combine(dir, "out.raw");
        File.WriteAllBytes(codes, Enumerable.Range(0, 256).Select(i => (byte)i).ToArray());
        if (tool == "sox")
            ExternalTool.Run("sox", "-t", "raw", "-r", "8000", "-e", law, "-b", "8", "-c", "1", codes, "-t", "raw", "-e", "signed", "-b", "16", output);
        else
            ExternalTool.Run("ffmpeg", "-v", "error", "-y", "-f", law == "mu-law" ? "mulaw" : "alaw", "-ar", "8000", "-ac", "1", "-i", codes, "-f", "s16le", output);
        var reference = TestAudio.ReadRaw(output);

        var ours = new short[256];
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        if (law == "mu-law")
            G711.DecodeMuLaw(all, ours);
        else
            G711.DecodeALaw(all, ours);
        Assert.Equal(reference, ours);
    }

    [Fact]
    public void Span_helpers_agree_with_the_per_sample_functions_for_any_length()
    {
        var random = new Random(711);
        for (int length = 0; length < 40; length++)
        {
            var pcm = Enumerable.Range(0, length).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1)).ToArray();
            var mu = new byte[length];
            var a = new byte[length];
            Assert.Equal(length, G711.EncodeMuLaw(pcm, mu));
            Assert.Equal(length, G711.EncodeALaw(pcm, a));
            Assert.Equal(pcm.Select(G711.LinearToMuLaw), mu);
            Assert.Equal(pcm.Select(G711.LinearToALaw), a);
            var back = new short[length];
            G711.DecodeMuLaw(mu, back);
            Assert.Equal(mu.Select(G711.MuLawToLinear), back);
            G711.DecodeALaw(a, back);
            Assert.Equal(a.Select(G711.ALawToLinear), back);
        }
    }

    [Fact]
    public void Encoder_and_decoder_refuse_buffers_too_small_and_count_them()
    {
        var encoder = new PcmuEncoder();
        Assert.Equal(0, encoder.Encode(new short[160], new byte[100]));
        Assert.Equal(1, encoder.Rejected);
        var decoder = new PcmaDecoder();
        Assert.Equal(0, decoder.Decode(new byte[160], new short[100]));
        Assert.Equal(0, decoder.Decode([], new short[160]));
        Assert.Equal(2, decoder.Rejected);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Codec_round_trip_of_a_tone_keeps_level_and_frequency(bool aLaw)
    {
        IAudioEncoder encoder = aLaw ? new PcmaEncoder() : new PcmuEncoder();
        IAudioDecoder decoder = aLaw ? new PcmaDecoder() : new PcmuDecoder();
        var tone = TestAudio.Sine(1000, 8000, 1.0);
        var payload = new byte[160];
        var decoded = TestAudio.InFrames(tone, 160, frame =>
        {
            Assert.Equal(160, encoder.Encode(frame, payload));
            var pcm = new short[160];
            Assert.Equal(160, decoder.Decode(payload, pcm));
            return pcm;
        });
        Assert.Equal(1000, SignalMeasure.DominantFrequency(decoded, 8000));
        // G.711 gives about 38 dB SNR on a tone at this level (8-bit log quantiser, G.712 requires > 35 dB
        // at -10 dBm0); 35 dB catches a wrong table or a byte order error by a wide margin.
        Assert.True(SignalMeasure.Snr(tone, decoded) > 35, $"SNR {SignalMeasure.Snr(tone, decoded):F1} dB");
    }
}
