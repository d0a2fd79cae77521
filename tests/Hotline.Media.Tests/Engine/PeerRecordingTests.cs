using System.Net;
using Hotline.Media.Codecs;
using Hotline.Media.Engine;
using Hotline.Media.Tests.Mixing;
using WavReading = Hotline.Media.Tests.Recording.WavReading;

namespace Hotline.Media.Tests.Engine;

/// <summary>Recording one party alone (voicemail), on real UDP: the file has what it said, and silence is measured.</summary>
public sealed class PeerRecordingTests : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hotline-peerrec-" + Guid.NewGuid().ToString("N"));
    private readonly MediaEngine _engine;

    public PeerRecordingTests()
    {
        Directory.CreateDirectory(_folder);
        _engine = new MediaEngine(new MediaEngineOptions
        {
            BindAddress = IPAddress.Loopback, AdvertisedAddress = IPAddress.Loopback, RtpPortMin = 45000, RtpPortMax = 45998,
            Workers = 1, RecordingsRoot = _folder,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task The_peer_is_recorded_alone_and_its_silence_is_measured()
    {
        using var phone = new UdpPhone(AudioCodecs.Pcma);
        await using var endpoint = _engine.CreateEndpoint("caller");
        var answer = endpoint.AnswerOffer(phone.Offer());
        Assert.True(answer.Ok, answer.Error);
        phone.ConnectTo(answer.Sdp!);
        var path = Path.Combine(_folder, "vm", "msg.wav");
        var recording = endpoint.RecordPeer(path);
        phone.PlayTone(700);
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.True(recording.SilentFor < TimeSpan.FromMilliseconds(200), $"silent for {recording.SilentFor} while talking");
        phone.StopSending();
        await Task.Delay(1200, TestContext.Current.CancellationToken);
        Assert.True(recording.SilentFor >= TimeSpan.FromMilliseconds(800), $"silent for only {recording.SilentFor}");
        var length = await recording.StopAsync();
        Assert.InRange(length.TotalSeconds, 1.8, 2.6);

        var (format, channels) = WavReading.Read(path);
        Assert.Equal(8000, format.SampleRate);
        Assert.Single(channels);
        var speech = channels[0].AsSpan(1600, 4000);
        Assert.True(Goertzel.Amplitude(speech, 700, 8000) > 2000, "the tone the caller sent is in the file");
        Assert.InRange(channels[0].Length / 8000.0, 1.8, 2.6);
    }
}
