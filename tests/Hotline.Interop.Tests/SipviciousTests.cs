using System.Globalization;
using System.Text.RegularExpressions;
using Hotline.Interop.Tests.Harness;

namespace Hotline.Interop.Tests;

/// <summary>The demo with every SIP message logged (Sip:Trace), so a test can see what a scanner actually sent.</summary>
public sealed class TracingSwitch : SwitchFixture
{
    protected override object? Overlay => new { Sip = new { Trace = true } };
}

/// <summary>
/// sipvicious 0.3.3 scanning from 127.0.0.1 (never -R or -A: those reach the internet). svmap must
/// find the switch but learn no version; svwar must not tell existing extensions (1001–1006) from
/// missing ones with REGISTER, INVITE or OPTIONS.
/// </summary>
public sealed partial class SipviciousScanTests(TracingSwitch fixture) : InteropTest(fixture), IClassFixture<TracingSwitch>
{
    private const string Range = "995-1010";

    [Fact]
    public async Task Svmap_finds_the_switch_with_a_neutral_Server_string()
    {
        var (process, _) = await RunPeerAsync("svmap", ["-b", "127.0.0.1", "-x", "127.0.0.1", "-P", FreePorts.Udp().ToString(CultureInfo.InvariantCulture),
            "-p", Switch.Port.ToString(CultureInfo.InvariantCulture), "127.0.0.1"], "svmap", TimeSpan.FromSeconds(60));

        var row = process.StdoutLines.Concat(process.StderrLines).FirstOrDefault(l => l.StartsWith($"| {Switch.Target} ", StringComparison.Ordinal));
        Assert.True(row is not null, Explain("svmap did not find the switch", process));
        var userAgent = row.Split('|', StringSplitOptions.TrimEntries)[2];
        Assert.Equal("Hotline", userAgent);
        Assert.DoesNotMatch(@"\d", userAgent);
    }

    [Theory]
    [InlineData("REGISTER")]
    [InlineData("INVITE")]
    [InlineData("OPTIONS")]
    public async Task Svwar_enumerates_no_extension(string method)
    {
        var localPort = FreePorts.Udp();
        var (process, _) = await RunPeerAsync("svwar", ["-b", "127.0.0.1", "-x", "127.0.0.1", "-P", localPort.ToString(CultureInfo.InvariantCulture),
            "-e", Range, "-m", method, $"udp://{Switch.Target}"], "svwar-" + method, TimeSpan.FromSeconds(120));

        var found = process.StdoutLines.Concat(process.StderrLines).Where(l => Enumerated().IsMatch(l)).ToList();
        Assert.True(found.Count == 0, Explain($"svwar -m {method} enumerated:\n{string.Join('\n', found)}", process));
        // Not a scan that never arrived: the switch saw svwar's requests (REGISTER names the user in To only).
        var received = new Regex($@"recv \d+ bytes from UDP:127\.0\.0\.1:{localPort} {method} sip:(?:(\d+)@)?");
        await Switch.WaitForLogAsync(lines => lines.Any(received.IsMatch), TimeSpan.FromSeconds(5));
        var requests = Switch.LogLines.Select(l => received.Match(l)).Where(m => m.Success).ToList();
        Assert.True(requests.Count > 0, Explain($"the switch logged no {method} from svwar's port {localPort}", process));
        var probed = requests.Select(m => m.Groups[1].Value).ToHashSet();
        if (method == "OPTIONS")
        {
            // OPTIONS is answered alike for every user, so svwar goes through the whole range, existing extensions included.
            Assert.True(probed.IsSupersetOf(["1001", "1002", "1003", "1004", "1005", "1006"]),
                Explain($"svwar probed only {string.Join(',', probed.Order())}", process));
        }
        else
        {
            // A challenge for a made-up extension tells svwar that answers do not depend on the user; it gives up.
            Assert.Contains("authentication request for an unknown extension", process.Output, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"^\| \S+ +\| (reqauth|noauth|weird)")]
    private static partial Regex Enumerated();
}

/// <summary>
/// svcrack guessing 1001's password from 127.0.0.1: the right one comes after 24 wrong ones, by
/// which time the switch has blocked the source (Security: block after 10 failures in 60 s), so it
/// is never found. Own switch: the block would spoil every other test from 127.0.0.1.
/// </summary>
public sealed partial class SvcrackTests(DemoSwitch fixture) : InteropTest(fixture), IClassFixture<DemoSwitch>
{
    [Fact]
    public async Task Svcrack_does_not_find_a_password_that_comes_after_24_wrong_guesses_and_the_source_is_blocked()
    {
        var words = Path.Combine(Dir, "words.txt");
        await File.WriteAllLinesAsync(words, [.. Enumerable.Range(1, 24).Select(i => $"guess{i}"), "hotline1001"], Cancellation);

        var process = await RunSvcrackAsync(this, words);

        Assert.DoesNotContain(process.StdoutLines.Concat(process.StderrLines), l => Cracked().IsMatch(l));
        var blocked = await Switch.WaitForLogAsync(new Regex(@"blocking 127\.0\.0\.1 after repeated authentication failures"), TimeSpan.FromSeconds(5));
        Assert.True(blocked is not null, Explain("the switch did not log that it blocked 127.0.0.1", process));
    }

    /// <summary>svcrack against 1001 with a dictionary; it binds 0.0.0.0 whatever -b says, so its port must be free there.</summary>
    internal static async Task<ExternalProcess> RunSvcrackAsync(InteropTest test, string words)
    {
        var (process, _) = await test.RunPeerAsync("svcrack", ["-x", "127.0.0.1", "-P", FreePorts.Udp().ToString(CultureInfo.InvariantCulture),
            "-u", "1001", "-d", words, $"udp://{test.SwitchTarget}"], "svcrack", TimeSpan.FromSeconds(120));
        return process;
    }

    [GeneratedRegex(@"^\| 1001 +\| \S+")]
    internal static partial Regex Cracked();
}

/// <summary>The positive control for <see cref="SvcrackTests"/>: with the right password first, svcrack does find it, so "not found" there means something.</summary>
public sealed class SvcrackControlTests(DemoSwitch fixture) : InteropTest(fixture), IClassFixture<DemoSwitch>
{
    [Fact]
    public async Task Svcrack_finds_the_password_when_it_is_the_first_guess()
    {
        var words = Path.Combine(Dir, "words.txt");
        await File.WriteAllLinesAsync(words, ["hotline1001", "guess1"], Cancellation);

        var process = await SvcrackTests.RunSvcrackAsync(this, words);

        Assert.True(process.StdoutLines.Concat(process.StderrLines).Any(l => SvcrackTests.Cracked().IsMatch(l) && l.Contains("hotline1001", StringComparison.Ordinal)),
            Explain("svcrack did not find the password it was given first", process));
    }
}
