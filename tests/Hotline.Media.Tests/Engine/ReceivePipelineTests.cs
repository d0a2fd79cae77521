using Hotline.Media.Codecs;
using Hotline.Media.Engine;
using Hotline.Media.Rtp;
using Hotline.Media.Tests.Mixing;

namespace Hotline.Media.Tests.Engine;

/// <summary>The jitter buffer → decoder → 20 ms frames path, on fake time.</summary>
public sealed class ReceivePipelineTests
{
    [Fact]
    public void Thirty_millisecond_packets_come_out_as_seamless_20_ms_frames()
    {
        var pipeline = new ReceivePipeline(AudioCodecs.Pcma, packetMilliseconds: 30, minDepthFrames: 2, maxDepthFrames: 10);
        var encoder = new PcmaEncoder();
        var tone = Audio.Tone(500, 8000, 240 * 40);
        var phone = new Phone();
        var output = new List<short>();
        var now = TimeSpan.Zero;
        int sent = 0;
        // 1.2 s: a packet every 30 ms, a frame pulled every 20 ms.
        for (int ms = 0; ms < 1200; ms += 10)
        {
            now = TimeSpan.FromMilliseconds(ms);
            if (ms % 30 == 0)
            {
                var packet = phone.Packet(8, Audio.Encode(encoder, tone.AsSpan(sent++ * 240, 240)), timestampIncrement: 240);
                Assert.True(RtpHeader.TryRead(packet, out var header));
                pipeline.Push(header, header.GetPayload(packet), now);
            }
            if (ms % 20 == 0)
                output.AddRange(pipeline.Pull(now, [], out _).ToArray());
        }

        Assert.Equal(0, pipeline.ConcealedFrames);
        Assert.True(output.Count >= 160 * 50, $"{output.Count} samples");
        // Seamless: the output is the tone itself, sample for sample, from where it started.
        var reference = new PcmaEncoder();
        var decoded = Audio.Decode(AudioCodecs.Pcma, Enumerable.Range(0, 40).Select(i => Audio.Encode(reference, tone.AsSpan(i * 240, 240))));
        Assert.Equal(decoded.Take(output.Count), output);
    }

    [Fact]
    public void A_peer_sending_longer_packets_than_it_negotiated_is_still_played_seamlessly()
    {
        // Negotiated 20 ms (so the buffers are sized for 160-byte packets), but the peer sends 60 ms.
        var pipeline = new ReceivePipeline(AudioCodecs.Pcma, packetMilliseconds: 20, minDepthFrames: 2, maxDepthFrames: 15);
        Assert.Equal(160, pipeline.Jitter.SlotPayloadSize);
        var encoder = new PcmaEncoder();
        var tone = Audio.Tone(700, 8000, 480 * 30);
        var phone = new Phone();
        var output = new List<short>();
        int sent = 0;
        for (int ms = 0; ms < 1200; ms += 20)
        {
            var now = TimeSpan.FromMilliseconds(ms);
            if (ms % 60 == 0)
            {
                var packet = phone.Packet(8, Audio.Encode(encoder, tone.AsSpan(sent++ * 480, 480)), timestampIncrement: 480);
                Assert.True(RtpHeader.TryRead(packet, out var header));
                pipeline.Push(header, header.GetPayload(packet), now);
            }
            output.AddRange(pipeline.Pull(now, [], out _).ToArray());
        }

        Assert.True(pipeline.Jitter.SlotPayloadSize >= 480);
        Assert.Equal(0, pipeline.Jitter.Oversized);
        Assert.True(output.Count >= 160 * 40, $"{output.Count} samples");
        var reference = new PcmaEncoder();
        var decoded = Audio.Decode(AudioCodecs.Pcma, Enumerable.Range(0, 20).Select(i => Audio.Encode(reference, tone.AsSpan(i * 480, 480))));
        // Played as sent until the tail, where the next packet is not due yet and concealment may start.
        int compared = Math.Min(output.Count, 160 * 40);
        Assert.Equal(decoded.Take(compared), output.Take(compared));
    }

    [Fact]
    public void A_lost_packet_is_concealed_and_the_frames_keep_their_cadence()
    {
        var pipeline = new ReceivePipeline(AudioCodecs.Pcmu, 20, 2, 10);
        var encoder = new PcmuEncoder();
        var tone = Audio.Tone(400, 8000, 160 * 60);
        var phone = new Phone();
        int frames = 0;
        for (int i = 0; i < 60; i++)
        {
            var now = TimeSpan.FromMilliseconds(20 * i);
            var packet = phone.Packet(0, Audio.Encode(encoder, tone.AsSpan(i * 160, 160)));
            if (i != 30)
            {
                Assert.True(RtpHeader.TryRead(packet, out var header));
                pipeline.Push(header, header.GetPayload(packet), now);
            }
            var frame = pipeline.Pull(now, [], out _);
            if (!frame.IsEmpty)
            {
                frames++;
                Assert.Equal(160, frame.Length);
                Assert.True(Goertzel.Amplitude(frame, 400, 8000) > 2000);
            }
        }
        Assert.Equal(1, pipeline.ConcealedFrames);
        Assert.True(frames >= 57);
    }
}
