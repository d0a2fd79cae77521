using Hotline.Media.Codecs;
using Hotline.Media.Engine;

namespace Hotline.Media.Tests.Engine;

/// <summary>
/// <see cref="MediaEndpoint.DtmfReceived"/> turns the leg's in-band detector on while it has handlers and
/// off when the last one goes, on the leg's worker; digits arrive while it is on.
/// </summary>
public sealed class EndpointDigitListenerTests
{
    [Fact]
    public async Task The_detector_of_a_peer_without_telephone_event_follows_the_endpoints_handlers()
    {
        await using var engine = new MediaEngine(LoopbackEngine.Options(workers: 1));
        using var phone = new UdpPhone(AudioCodecs.Pcma, eventPayloadType: null);
        await using var endpoint = engine.CreateEndpoint("caller");
        var answer = endpoint.AnswerOffer(phone.Offer());
        Assert.True(answer.Ok, answer.Error);
        phone.ConnectTo(answer.Sdp!);

        Assert.False(await OnWorker(() => endpoint.Leg.Pipeline?.DetectsInband ?? false));
        var digits = new List<char>();
        void Handler(MediaEndpoint _, char d) { lock (digits) digits.Add(d); }
        endpoint.DtmfReceived += Handler;
        Assert.True(await OnWorker(() => endpoint.Leg.Pipeline?.DetectsInband ?? false));

        phone.PlayTone(0);
        phone.PressKey('5'); // without telephone-event the phone plays the key's dual tone
        await Until(() => { lock (digits) return digits.Count > 0; });
        Assert.Equal(['5'], digits);

        endpoint.DtmfReceived -= Handler;
        Assert.False(await OnWorker(() => endpoint.Leg.Pipeline?.DetectsInband ?? false));

        Task<bool> OnWorker(Func<bool> read)
        {
            var seen = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            MediaEngine.RunOnOwner(endpoint.Leg, _ => seen.TrySetResult(read()));
            return seen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
            await Task.Delay(25);
        Assert.True(condition(), "no digit arrived");
    }
}
