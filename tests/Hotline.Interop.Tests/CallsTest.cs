using System.Globalization;
using System.Text.RegularExpressions;
using Hotline.Interop.Tests.Harness;

namespace Hotline.Interop.Tests;

/// <summary>
/// The call tests run one after another: each moves real audio through the switch and checks it by
/// frequency, and two of them at once on two cores would measure the machine rather than the switch.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CallsCollection
{
    public const string Name = "Calls against real peers";
}

/// <summary>
/// A switch set up for calls between real peers: registrations down to 10 s, no OPTIONS qualify (a
/// peer that is gone must not be probed for the rest of the class), no failure tone (a failed call
/// answers at once), no prompt generation (saves the start-up), an admin password for reading CDRs
/// through the REST API, and an RTP port range of its own: the default 20000–29998 may be held by
/// other switches on a shared machine, and the media engine gives up after 64 busy pairs in a row.
/// </summary>
public abstract class CallsSwitch : SwitchFixture
{
    public const string AdminPassword = "Calls-admin-2026";
    private AdminApi? _admin;

    protected override object? Overlay
    {
        get
        {
            var rtp = FreePorts.UdpRange(400);
            rtp += rtp % 2;
            var settings = new Dictionary<string, object?>
            {
                ["Registrar"] = new { MinExpires = 10, QualifySeconds = 0 },
                ["Calls"] = new { FailureToneSeconds = 0 },
                ["Media"] = new { RtpPortMin = rtp, RtpPortMax = rtp + 397 },
                ["Ivr"] = new { GeneratePrompts = false },
                ["Admin"] = new { InitialPassword = AdminPassword },
            };
            foreach (var (key, value) in Settings) settings[key] = value;
            return settings;
        }
    }

    /// <summary>Top-level sections this fixture adds or replaces (Trunks, OutboundRoutes, Sip …).</summary>
    protected virtual IReadOnlyDictionary<string, object?> Settings => new Dictionary<string, object?>();

    /// <summary>The REST API of this switch, logged in as admin (one session per fixture).</summary>
    public async Task<AdminApi> AdminAsync()
    {
        if (_admin is not null) return _admin;
        var line = await Switch.WaitForLogAsync(AdminUrl(), TimeSpan.FromSeconds(20))
            ?? throw new InvalidOperationException("the switch never logged its admin URL\n" + Switch.Tail());
        _admin = await AdminApi.LoginAsync(new Uri(AdminUrl().Match(line).Groups[1].Value), "admin", AdminPassword);
        return _admin;
    }

    private static Regex AdminUrl() => new(@"admin panel and API on (http://127\.0\.0\.1:\d+)");
}

/// <summary>Two extensions (or more) on softphones calling each other: the demo's extensions and routes.</summary>
public sealed class CallsDemoSwitch : CallsSwitch;

/// <summary>
/// Base of the call tests: starts baresip phones and SIPp agents in the test's artefact folder and
/// stops them when the test ends (InteropTest kills every peer it started).
/// </summary>
public abstract class CallsTest : InteropTest
{
    protected CallsTest(CallsSwitch fixture) : base(fixture)
    {
        Fixture = fixture;
        Peer.Require("sox");
    }

    protected CallsSwitch Fixture { get; }

    /// <summary>This test's artefact folder (for helpers outside the class).</summary>
    internal string Folder => Dir;

    internal ExternalProcess Start(string program, IEnumerable<string> arguments, string name) => StartPeer(program, arguments, name);

    /// <summary>
    /// A baresip registered as <paramref name="user"/> (password hotline + number), playing a
    /// <paramref name="toneHz"/> sine as its microphone, recording what it hears.
    /// </summary>
    protected async Task<BaresipPhone> PhoneAsync(string user, int toneHz, string codecs = "PCMU,PCMA", string answer = "auto", bool sipTrace = false)
    {
        var phone = await BaresipPhone.StartAsync(this, user, "hotline" + user, toneHz, codecs, answer, sipTrace);
        await phone.WaitRegisteredAsync(this);
        return phone;
    }

    /// <summary>Dials <paramref name="number"/> at the switch and waits until both phones say the call is established.</summary>
    protected async Task<string> CallAsync(BaresipPhone caller, BaresipPhone callee, string number)
    {
        await caller.CommandAsync("dial", $"sip:{number}@{SwitchTarget}");
        var established = await callee.WaitForEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(10));
        Assert.True(established is not null, Explain($"{callee.User} never saw CALL_ESTABLISHED after {caller.User} dialled {number}", caller.Process, callee.Process));
        var mine = await caller.WaitForEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(5));
        Assert.True(mine is not null, Explain($"{caller.User} never saw CALL_ESTABLISHED", caller.Process, callee.Process));
        return mine.CallId ?? throw new InvalidOperationException("CALL_ESTABLISHED without a call id");
    }

    /// <summary>The stereo recording the switch made of call <paramref name="callId"/>, once its writer closed it.</summary>
    protected async Task<WavFile> SwitchRecordingAsync(string path)
    {
        var wav = await WavFile.WaitCompleteAsync(path, TimeSpan.FromSeconds(10));
        Assert.True(wav is not null, Explain($"the switch's recording {path} does not exist"));
        Assert.True(wav.HeaderComplete, Explain($"the switch's recording {path} was not closed (header sizes do not match the file)"));
        return wav;
    }

    /// <summary>
    /// Asserts that <paramref name="windows"/> carry <paramref name="hz"/> for at least <paramref name="seconds"/>
    /// in one stretch, bridging single unclear windows (see <see cref="ToneAnalysis.LongestStretch"/>).
    /// </summary>
    protected void AssertTone(IReadOnlyList<ToneWindow> windows, double hz, double seconds, string what, params ExternalProcess[] peers)
    {
        var step = windows.Count > 1 ? windows[1].Start - windows[0].Start : 0.25;
        var stretch = ToneAnalysis.LongestStretch(windows, hz);
        Assert.True(stretch * step >= seconds,
            Explain($"{what}: want {hz} Hz for {seconds} s in one stretch, longest {stretch * step:0.00} s; content:\n{ToneAnalysis.Describe(windows)}", peers));
    }

    /// <summary>Asserts that no window of <paramref name="windows"/> carries <paramref name="hz"/>.</summary>
    protected void AssertNoTone(IReadOnlyList<ToneWindow> windows, double hz, string what, params ExternalProcess[] peers)
    {
        var (count, _) = ToneAnalysis.Count(windows, hz);
        Assert.True(count == 0, Explain($"{what}: {hz} Hz heard in {count} windows; content:\n{ToneAnalysis.Describe(windows)}", peers));
    }

    /// <summary>20 s of a <paramref name="hz"/> sine as raw 8 kHz mu-law in the test's folder, for SIPp's rtp_stream.</summary>
    protected async Task MakeUlawToneAsync(string file, int hz)
    {
        var (_, code) = await RunPeerAsync("sox", ["-n", "-r", "8000", "-c", "1", "-e", "u-law", "-t", "raw", Path.Combine(Folder, file),
            "synth", "20", "sine", hz.ToString(CultureInfo.InvariantCulture), "vol", "0.5"], "sox-tone", TimeSpan.FromSeconds(30));
        Assert.Equal(0, code);
    }

    protected static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
