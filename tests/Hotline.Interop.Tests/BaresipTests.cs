using System.Globalization;
using System.Text.RegularExpressions;
using Hotline.Interop.Tests.Harness;

namespace Hotline.Interop.Tests;

/// <summary>
/// For baresip: registrations down to 10 s, every REGISTER logged. The demo's challenges are MD5 only:
/// baresip 1.0 (libre 1.x) gives up on a whole 401 — "Register: Function not implemented" — when any
/// of its challenges names an algorithm it lacks, and it has no SHA-256 (RFC 8760 §2.4 wants a client
/// to use the challenge it supports and ignore the rest).
/// </summary>
public sealed class BaresipSwitch : SwitchFixture
{
    protected override object? Overlay => new
    {
        Registrar = new { MinExpires = 10 },
        Logging = new { LogLevel = RegistrarDebugLogging },
    };
}

/// <summary>baresip 1.0, a real softphone, registers, refreshes its registration before it expires, and is refused with a wrong password.</summary>
public sealed partial class BaresipTests(BaresipSwitch fixture) : InteropTest(fixture), IClassFixture<BaresipSwitch>
{
    private const int RegisterInterval = 15;

    [Fact]
    public async Task Registers_and_refreshes_the_registration_before_it_expires()
    {
        var (baresip, sipPort) = StartBaresip("1005", "hotline1005");

        var ok = await baresip.WaitForLineAsync(l => Registered().IsMatch(l), TimeSpan.FromSeconds(20));
        Assert.True(ok is not null, Explain("baresip did not log {0/UDP/v4} 200 OK [1 binding]", baresip));

        // libre refreshes at 90 % of the granted expiry (13.5 s of 15): a second REGISTER from the same
        // UA must reach the switch, and before the first binding ran out.
        var line = new Regex($@"^(\d\d:\d\d:\d\d\.\d\d\d) dbug: Hotline\.Switch\.Registrar\[0\] REGISTER 1005 from UDP:127\.0\.0\.1:{sipPort}: 1 bindings");
        var seen = await Switch.WaitForLogCountAsync(line, 2, TimeSpan.FromSeconds(RegisterInterval + 15));
        Assert.True(seen >= 2, Explain($"the switch logged {seen} REGISTER(s) for 1005 from baresip within {RegisterInterval + 15} s, want 2", baresip));
        var times = Switch.LogLines.Select(l => line.Match(l)).Where(m => m.Success)
            .Select(m => TimeSpan.ParseExact(m.Groups[1].Value, @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture)).Take(2).ToList();
        var gap = times[1] - times[0];
        Assert.True(gap > TimeSpan.Zero && gap < TimeSpan.FromSeconds(RegisterInterval),
            Explain($"the refresh came {gap.TotalSeconds:0.0} s after the registration; the binding lasted {RegisterInterval} s", baresip));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_403()
    {
        var (baresip, _) = StartBaresip("1006", "not-hotline1006");

        var refused = await baresip.WaitForLineAsync(l => l.Contains("403 Forbidden", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        Assert.True(refused is not null, Explain("baresip did not log 403 Forbidden", baresip));
        Assert.DoesNotContain(baresip.StdoutLines.Concat(baresip.StderrLines), l => Registered().IsMatch(l));
    }

    /// <summary>Renders a config folder of its own for one baresip (one per instance: it keeps state there) and starts it with a lifetime bound.</summary>
    private (ExternalProcess Process, int SipPort) StartBaresip(string user, string password)
    {
        Peer.Require("baresip");
        var sipPort = FreePorts.Baresip();
        var rtp = FreePorts.UdpRange(10);
        var home = Path.Combine(Dir, "baresip-" + user);
        Directory.CreateDirectory(home);
        var templates = Path.Combine(AppContext.BaseDirectory, "Baresip");
        File.WriteAllText(Path.Combine(home, "config"), File.ReadAllText(Path.Combine(templates, "config.template"))
            .Replace("{{SIP_PORT}}", sipPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{RTP_PORTS}}", $"{rtp}-{rtp + 9}", StringComparison.Ordinal));
        var account = File.ReadAllLines(Path.Combine(templates, "accounts.template")).Where(l => !l.StartsWith('#'))
            .Select(l => l.Replace("{{USER}}", user, StringComparison.Ordinal).Replace("{{DOMAIN}}", Switch.Target, StringComparison.Ordinal)
                .Replace("{{PASS}}", password, StringComparison.Ordinal).Replace("{{REGINT}}", RegisterInterval.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        File.WriteAllLines(Path.Combine(home, "accounts"), account);
        // -t: baresip quits by itself after this long even if the test's kill never comes.
        return (StartPeer("baresip", ["-f", home, "-t", "60"], "baresip-" + user), sipPort);
    }

    [GeneratedRegex(@"\{0/UDP/v4\} 200 OK .*\[1 binding\]")]
    private static partial Regex Registered();
}
