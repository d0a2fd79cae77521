using Hotline.Media.Codecs;

namespace Hotline.Media.Tests.Codecs;

public sealed class CatalogueTests
{
    [Fact]
    public void Static_payload_types_and_clock_rates_follow_RFC_3551_and_RFC_7587()
    {
        Assert.Equal((0, 8000, 8000), (AudioCodecs.Pcmu.StaticPayloadType, AudioCodecs.Pcmu.ClockRate, AudioCodecs.Pcmu.SampleRate));
        Assert.Equal((8, 8000, 8000), (AudioCodecs.Pcma.StaticPayloadType, AudioCodecs.Pcma.ClockRate, AudioCodecs.Pcma.SampleRate));
        // G.722: 16 kHz audio, 8000 Hz RTP clock (RFC 3551 §4.5.2), 160 timestamp units per 20 ms.
        Assert.Equal((9, 8000, 16000), (AudioCodecs.G722.StaticPayloadType, AudioCodecs.G722.ClockRate, AudioCodecs.G722.SampleRate));
        Assert.Equal(160, AudioCodecs.G722.TimestampsPerFrame());
        Assert.Equal(320, AudioCodecs.G722.SamplesPerFrame());
        foreach (var opus in new[] { AudioCodecs.Opus, AudioCodecs.OpusWideband, AudioCodecs.OpusNarrowband })
        {
            Assert.Equal(("opus", 48000, 2, -1), (opus.Name, opus.ClockRate, opus.Channels, opus.StaticPayloadType));
            Assert.Equal(960, opus.TimestampsPerFrame());
        }
        Assert.Equal(-1, AudioCodecs.L16Narrowband.StaticPayloadType);
        Assert.Equal(16000, AudioCodecs.L16Wideband.ClockRate);
    }

    [Theory]
    [InlineData("pcmu", 8000, 0, typeof(PcmuEncoder), typeof(PcmuDecoder))]
    [InlineData("PCMA", 8000, 0, typeof(PcmaEncoder), typeof(PcmaDecoder))]
    [InlineData("g722", 8000, 0, typeof(G722Encoder), typeof(G722Decoder))]
    [InlineData("OPUS", 48000, 16000, typeof(OpusAudioEncoder), typeof(OpusAudioDecoder))]
    [InlineData("Opus", 48000, 0, typeof(OpusAudioEncoder), typeof(OpusAudioDecoder))]
    [InlineData("l16", 16000, 0, typeof(L16Encoder), typeof(L16Decoder))]
    public void Names_are_found_case_insensitively_and_create_the_right_codec(string name, int clockRate, int sampleRate, Type encoder, Type decoder)
    {
        Assert.True(AudioCodecs.TryFind(name, clockRate, out var info, sampleRate));
        var e = AudioCodecFactory.CreateEncoder(info);
        var d = AudioCodecFactory.CreateDecoder(info with { Name = name });
        Assert.IsType(encoder, e);
        Assert.IsType(decoder, d);
        Assert.Equal(info, e.Info);
        Assert.Equal(info, d.Info);
        if (sampleRate == 0 && clockRate == 48000)
            Assert.Equal(48000, info.SampleRate);
    }

    [Fact]
    public void Unknown_codecs_are_refused_with_a_message_naming_them()
    {
        var gsm = new AudioCodecInfo("GSM", 8000, 8000, 3);
        Assert.False(AudioCodecFactory.TryCreateEncoder(gsm, out _));
        Assert.False(AudioCodecFactory.TryCreateDecoder(gsm, out _));
        Assert.False(AudioCodecFactory.IsSupported(new AudioCodecInfo("L16", 44100, 44100, 11)));
        var error = Assert.Throws<ArgumentException>(() => AudioCodecFactory.CreateDecoder(gsm));
        Assert.Contains("GSM", error.Message);
        Assert.False(AudioCodecs.TryFind("PCMU", 16000, out _));
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public void L16_is_big_endian_and_round_trips_exactly(int sampleRate)
    {
        var encoder = new L16Encoder(sampleRate);
        var decoder = new L16Decoder(sampleRate);
        var pcm = new short[sampleRate / 50];
        var random = new Random(16);
        for (int i = 0; i < pcm.Length; i++)
            pcm[i] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        pcm[0] = 0x1234;
        pcm[1] = -2;
        var payload = new byte[pcm.Length * 2];
        Assert.Equal(payload.Length, encoder.Encode(pcm, payload));
        Assert.Equal(new byte[] { 0x12, 0x34, 0xFF, 0xFE }, payload[..4]);
        var back = new short[pcm.Length];
        Assert.Equal(pcm.Length, decoder.Decode(payload, back));
        Assert.Equal(pcm, back);
        Assert.Equal(0, decoder.Decode(payload.AsSpan(0, 3), back));
        Assert.Equal(1, decoder.Rejected);
    }
}
