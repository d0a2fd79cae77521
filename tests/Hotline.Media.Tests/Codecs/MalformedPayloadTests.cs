using CsCheck;
using Hotline.Media.Codecs;

namespace Hotline.Media.Tests.Codecs;

/// <summary>Payloads come off the network: no byte sequence may make a decoder throw.</summary>
public sealed class MalformedPayloadTests
{
    public static TheoryData<string> Codecs()
    {
        var data = new TheoryData<string>();
        foreach (var info in AudioCodecs.All)
            data.Add($"{info.Name}/{info.SampleRate}");
        return data;
    }

    // threads: 1 because a decoder is one stream's state, used by one thread at a time.
    [Theory]
    [MemberData(nameof(Codecs))]
    public void Random_payloads_never_throw_and_never_overrun(string key)
    {
        var info = AudioCodecs.All.Single(c => $"{c.Name}/{c.SampleRate}" == key);
        var decoder = AudioCodecFactory.CreateDecoder(info);
        var pcm = new short[info.SamplesPerFrame()];
        Gen.Byte.Array[0, 400].Sample(payload =>
        {
            int n = decoder.Decode(payload, pcm);
            Assert.InRange(n, 0, pcm.Length);
            Assert.Equal(pcm.Length, decoder.Conceal(pcm));
        }, iter: 2000, threads: 1);
    }

    [Fact]
    public void Random_packets_with_a_valid_Opus_TOC_never_throw_in_decode_or_FEC()
    {
        var decoder = new OpusAudioDecoder(16000);
        var pcm = new short[320];
        // TOC configurations for 20 ms frames of each mode (RFC 6716 §3.1), any frame-count code, random body.
        Gen.Select(Gen.Int[0, 8].Select(i => new[] { 1, 5, 9, 13, 15, 19, 23, 27, 31 }[i]), Gen.Int[0, 7], Gen.Byte.Array[0, 300]).Sample((config, rest, body) =>
        {
            var packet = new byte[body.Length + 1];
            packet[0] = (byte)((config << 3) | rest);
            body.CopyTo(packet, 1);
            Assert.InRange(decoder.Decode(packet, pcm), 0, 320);
            Assert.InRange(decoder.DecodeFec(packet, pcm), 0, 320);
        }, iter: 3000, threads: 1);
    }
}
