using Hotline.Media.Codecs;

namespace Hotline.Media.Tests.Codecs;

/// <summary>The per-frame paths of our own codecs allocate nothing once warmed up.</summary>
public sealed class AllocationTests
{
    private static long AllocatedBy(Action frame)
    {
        for (int i = 0; i < 20; i++)
            frame();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
            frame();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void G711_G722_L16_and_resampler_frames_allocate_nothing()
    {
        var pcm8 = TestAudio.Sine(440, 8000, 0.02);
        var pcm16 = TestAudio.Sine(440, 16000, 0.02);
        var pcm48 = new short[960];
        var payload = new byte[640];
        var out8 = new short[160];
        var out16 = new short[320];

        var pcmu = new PcmuEncoder();
        var pcmuDecoder = new PcmuDecoder();
        Assert.Equal(0, AllocatedBy(() => { pcmu.Encode(pcm8, payload); pcmuDecoder.Decode(payload.AsSpan(0, 160), out8); }));
        Assert.Equal(0, AllocatedBy(() => pcmuDecoder.Conceal(out8)));

        var g722 = new G722Encoder();
        var g722Decoder = new G722Decoder();
        Assert.Equal(0, AllocatedBy(() => { g722.Encode(pcm16, payload); g722Decoder.Decode(payload.AsSpan(0, 160), out16); }));
        Assert.Equal(0, AllocatedBy(() => g722Decoder.Conceal(out16)));

        var l16 = new L16Encoder(16000);
        var l16Decoder = new L16Decoder(16000);
        Assert.Equal(0, AllocatedBy(() => { l16.Encode(pcm16, payload); l16Decoder.Decode(payload, out16); }));

        var up = new Resampler(8000, 48000);
        var down = new Resampler(48000, 16000);
        Assert.Equal(0, AllocatedBy(() => { up.Process(pcm8, pcm48); down.Process(pcm48, out16); }));
    }

    [Fact]
    public void Transcoding_between_our_own_codecs_allocates_nothing()
    {
        var pcm = TestAudio.Sine(440, 8000, 0.02);
        var payload = new byte[160];
        new PcmaEncoder().Encode(pcm, payload);
        var transcoder = new Transcoder(AudioCodecs.Pcma, AudioCodecs.G722);
        var output = new byte[400];
        Assert.Equal(0, AllocatedBy(() => transcoder.Transcode(payload, output)));
        Assert.Equal(0, AllocatedBy(() => transcoder.TranscodeMissing(output)));
    }
}
