using Hotline.Interop.Tests.Harness;
using Hotline.Switch.Cdrs;

namespace Hotline.Interop.Tests;

/// <summary>A switch whose RTP inactivity timeout is 3 s, with the carrier trunk's DID ringing extension 1002.</summary>
public sealed class CallsTimeoutSwitch : CallsSwitch
{
    public const string Did = "01062345000";
    public const int TimeoutSeconds = 3;

    public int CarrierPort { get; } = FreePorts.UdpAndTcp();

    protected override IReadOnlyDictionary<string, object?> Settings => new Dictionary<string, object?>
    {
        ["Calls"] = new { FailureToneSeconds = 0, RtpTimeoutSeconds = TimeoutSeconds },
        ["Trunks"] = new[] { CallsTrunkSwitch.Trunk("carrier", CarrierPort, allowedSources: [$"127.0.0.1:{CarrierPort}"]) },
        ["OutboundRoutes"] = new object[] { new { Name = "local-9", Prefix = "9", Strip = 1, Trunks = new[] { "carrier" } } },
        ["InboundRoutes"] = new object[] { new { Did, Target = "Extension", Value = "1002" } },
    };
}

/// <summary>
/// The RTP inactivity timeout against real peers: SIPp as a carrier whose call goes silent after 2 s
/// (no RTP, no RTCP, no BYE), baresip as the extension that answered and keeps talking.
/// </summary>
[Collection(CallsCollection.Name)]
public sealed class CallsTimeoutTests(CallsTimeoutSwitch fixture) : CallsTest(fixture), IClassFixture<CallsTimeoutSwitch>
{
    [Fact]
    public async Task A_carrier_call_that_goes_silent_is_hung_up_on_both_sides_after_the_timeout_with_the_reason()
    {
        var timeouts = fixture;
        await using var phone = await PhoneAsync("1002", 440);
        await MakeUlawToneAsync("calls-silent-tone.ulaw", 1000);

        var result = await RunSippAsync("calls-silent-uac.xml", "silent-carrier", new SippOptions
        {
            Service = CallsTimeoutSwitch.Did, LocalPort = timeouts.CarrierPort, TimeoutSeconds = 30,
        });
        Assert.True(result.ExitCode == 0, Explain($"the silent carrier was not sent a BYE with Reason 'RTP timeout': {result.Summary}\n{result.Errors}", result.Process, phone.Process));
        Assert.True(await phone.WaitForEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(10)) is not null,
            Explain("the extension that kept talking was not hung up too", phone.Process));
        var cdr = await (await Fixture.AdminAsync()).WaitForCdrAsync(c => c.Did == CallsTimeoutSwitch.Did, TimeSpan.FromSeconds(10));
        Assert.True(cdr is not null, Explain($"no CDR for the call to DID {CallsTimeoutSwitch.Did}"));
        await phone.QuitAsync();

        Assert.Equal(HangupSide.System, cdr.HangupSide);
        Assert.Contains("RTP timeout", cdr.HangupCause, StringComparison.Ordinal);
        // 2 s of tone, then the 3 s of silence the timeout allows, noticed within a quarter of it (plus a loaded machine's slack):
        // never before the silence was long enough.
        Assert.True(cdr.BillableSeconds is >= 2 + CallsTimeoutSwitch.TimeoutSeconds and <= 10, Explain($"billed {cdr.BillableSeconds} s: {AdminApi.Show(cdr)}"));
    }
}
