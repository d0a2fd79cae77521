using System.Diagnostics;
using Hotline.Interop.Tests.Harness;

namespace Hotline.Interop.Tests;

/// <summary>
/// Mixing with real softphones: baresip 1.0 instances, each sending its own tone from a WAV and recording
/// what it receives, in the demo's conference room 8100. Each phone's recording is checked for which tones it
/// carries. (A supervisor on a live call is in <see cref="SupervisionTests"/>, against an in-process contact
/// centre whose events the test can wait on.)
/// </summary>
public sealed class ConferenceTests(ContactCentreSwitch fixture) : InteropTest(fixture), IClassFixture<ContactCentreSwitch>
{
    // Clear of the room's join and leave tones (450 and 900 Hz), and chosen so that no sum or difference of
    // two or three of them (G.711's companding makes such intermodulation products, about 40 dB down) lands
    // on another: a phone's own tone must be absent, not masked by the others' products.
    private static readonly double[] s_tones = [630, 1070, 1390, 1810, 2270];

    [Fact]
    public async Task Five_softphones_in_room_8100_each_hear_the_other_four_and_not_themselves()
    {
        var phones = new List<Softphone>();
        for (int i = 0; i < s_tones.Length; i++)
        {
            var user = $"100{i + 1}";
            // Both G.711 laws in one room: each phone's audio is decoded, mixed and encoded for every other.
            phones.Add(await Softphone.StartAsync(Dir, SwitchTarget, user, $"hotline{user}", s_tones[i], i % 2 == 0 ? "PCMU" : "PCMA", StartPeer));
        }
        try
        {
            foreach (var phone in phones)
                Assert.True(await phone.DialAsync("8100", SwitchTarget), Explain($"{phone} could not dial 8100", phone.Process));
            var answered = new long[phones.Count];
            for (int i = 0; i < phones.Count; i++)
                answered[i] = await phones[i].WaitForEventAsync("CALL_ESTABLISHED", 1, TimeSpan.FromSeconds(20))
                    ?? throw new Xunit.Sdk.XunitException(Explain($"{phones[i]} was not answered by room 8100", phones[i].Process));
            // The PIN, typed over the prompt that asks for it.
            await Task.Delay(500, Cancellation);
            foreach (var phone in phones)
                Assert.True(await phone.CommandAsync("sndcode", ContactCentreSwitch.RoomPin + "#"));
            // Admitted and joined within moments; the last join tone is over two seconds on.
            await Task.Delay(2000, Cancellation);
            long allIn = Stopwatch.GetTimestamp();
            await Task.Delay(TimeSpan.FromSeconds(6), Cancellation);

            foreach (var phone in phones)
                await phone.CommandAsync("hangup");
            foreach (var phone in phones)
                Assert.True(await phone.WaitForEventAsync("CALL_CLOSED", 1, TimeSpan.FromSeconds(10)) is not null, Explain($"{phone}'s call did not close", phone.Process));

            for (int i = 0; i < phones.Count; i++)
            {
                // From 1.5 s after the last one joined (its join tone over) to 4.5 s: everyone is in.
                var heard = Tones.Between(phones[i].LastCallAudio(), answered[i], allIn, 0.5, 4.5);
                var expected = s_tones.Where((_, j) => j != i).ToList();
                TestContext.Current.TestOutputHelper?.WriteLine($"{phones[i]} hears " + string.Join(", ", s_tones.Select(f => $"{f} Hz at {Tones.Amplitude(heard, f):F0}")));
                Assert.True(expected.SequenceEqual(Tones.Present(heard, phones[i].ToString(), s_tones)),
                    Explain($"{phones[i]} should hear {string.Join(", ", expected)} Hz and not its own; it hears " +
                        string.Join(", ", Tones.Present(heard, phones[i].ToString(), s_tones)), phones[i].Process));
            }
        }
        finally
        {
            foreach (var phone in phones)
                await phone.DisposeAsync();
        }
    }
}
