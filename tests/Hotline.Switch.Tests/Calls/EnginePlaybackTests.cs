using System.Net;
using System.Net.Sockets;
using Hotline.Media.Engine;
using Hotline.Media.Rtp;
using Hotline.Switch.Calls;

namespace Hotline.Switch.Tests.Calls;

/// <summary>Prompts through the real engine for call flows: a sequence plays out and reports completion; a cancel stops it.</summary>
public sealed class EnginePlaybackTests : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hotline-playback-" + Guid.NewGuid().ToString("N"));
    private readonly MediaEngine _engine;
    private readonly EngineCallMedia _media;
    private readonly UdpClient _phone = new(new IPEndPoint(IPAddress.Loopback, 0));

    public EnginePlaybackTests()
    {
        Directory.CreateDirectory(_folder);
        _engine = new MediaEngine(new MediaEngineOptions
        {
            BindAddress = IPAddress.Loopback, AdvertisedAddress = IPAddress.Loopback, RtpPortMin = 47100, RtpPortMax = 47198,
            Workers = 1, RecordingsRoot = _folder,
        });
        _media = new EngineCallMedia(_engine);
    }

    public async ValueTask DisposeAsync()
    {
        _phone.Dispose();
        await _engine.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private string Offer() =>
        $"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {((IPEndPoint)_phone.Client.LocalEndPoint!).Port} RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=sendrecv\r\n";

    private string Prompt(string name, double seconds)
    {
        var path = Path.Combine(_folder, name);
        var samples = (int)(8000 * seconds);
        using var w = new BinaryWriter(File.Create(path));
        w.Write("RIFF"u8); w.Write(36 + samples * 2); w.Write("WAVEfmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1);
        w.Write(8000); w.Write(16000); w.Write((short)2); w.Write((short)16); w.Write("data"u8); w.Write(samples * 2);
        for (var i = 0; i < samples; i++) w.Write((short)(8000 * Math.Sin(2 * Math.PI * 500 * i / 8000)));
        return path;
    }

    private async Task<int> PacketsReceived(TimeSpan window)
    {
        var count = 0;
        using var cts = new CancellationTokenSource(window);
        try
        {
            while (true)
            {
                var r = await _phone.ReceiveAsync(cts.Token);
                if (RtpHeader.TryRead(r.Buffer, out _)) count++;
            }
        }
        catch (OperationCanceledException) { }
        return count;
    }

    [Fact]
    public async Task A_prompt_sequence_plays_to_the_end_and_says_so()
    {
        await using var leg = _media.CreateLeg("ivr");
        Assert.True(leg.AnswerOffer(Offer()).Ok);
        var playback = (IMediaLegPlayback)leg;
        var started = DateTime.UtcNow;
        var played = playback.PlayPromptsAsync([Prompt("a.wav", 0.4), Prompt("b.wav", 0.4)], TestContext.Current.CancellationToken);
        var packets = PacketsReceived(TimeSpan.FromSeconds(1.5));
        Assert.True(await played.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
        var took = DateTime.UtcNow - started;
        Assert.InRange(took.TotalSeconds, 0.7, 2.0);
        Assert.InRange(await packets, 35, 60); // 0.8 s of prompts in 20 ms packets
    }

    [Fact]
    public async Task Cancelling_stops_the_prompt()
    {
        await using var leg = _media.CreateLeg("ivr");
        Assert.True(leg.AnswerOffer(Offer()).Ok);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var play = ((IMediaLegPlayback)leg).PlayPromptsAsync([Prompt("long.wav", 5)], cts.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => play);
        await PacketsReceived(TimeSpan.FromMilliseconds(200)); // what was sent before the stop
        Assert.InRange(await PacketsReceived(TimeSpan.FromMilliseconds(500)), 0, 2); // nothing more goes out
    }
}
