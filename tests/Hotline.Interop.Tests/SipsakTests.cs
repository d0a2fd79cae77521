using System.Text.RegularExpressions;
using Hotline.Interop.Tests.Harness;

namespace Hotline.Interop.Tests;

/// <summary>
/// sipsak 0.9.8, a third digest implementation: OPTIONS ping and usrloc-mode REGISTER. Its exit code
/// says it all: 0 = a 200 came back, 1 = another final answer (man sipsak). Bound to 127.0.0.1
/// (--local-ip), else it listens on every address.
/// </summary>
public sealed partial class SipsakTests(DemoSwitch fixture) : InteropTest(fixture), IClassFixture<DemoSwitch>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task OPTIONS_ping_gets_200()
    {
        var (process, code) = await RunPeerAsync("sipsak", ["--local-ip=127.0.0.1", "-H", "127.0.0.1", "-vv", "-s", $"sip:{Switch.Target}"], "sipsak-options", Bound);

        Assert.True(code == 0, Explain($"sipsak OPTIONS exit {code}", process));
        Assert.Contains("SIP/2.0 200 OK", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task REGISTER_with_the_right_password_exits_0_after_401_and_200()
    {
        var (process, code) = await RunPeerAsync("sipsak", Register("1002", "hotline1002"), "sipsak-register", Bound);

        Assert.True(code == 0, Explain($"sipsak REGISTER exit {code}", process));
        Assert.Equal(["401", "200"], StatusCodes(process.Output));
    }

    [Fact]
    public async Task REGISTER_with_a_wrong_password_exits_1_after_403()
    {
        var (process, code) = await RunPeerAsync("sipsak", Register("1003", "wrong-password"), "sipsak-wrongpw", Bound);

        Assert.True(code == 1, Explain($"sipsak REGISTER with a wrong password exit {code} (want 1: a final answer other than 200)", process));
        Assert.Contains("403", StatusCodes(process.Output));
        Assert.DoesNotContain("200", StatusCodes(process.Output));
    }

    private string[] Register(string user, string password) =>
        ["--local-ip=127.0.0.1", "-H", "127.0.0.1", "-U", "-i", "-vvv", "-s", $"sip:{user}@{Switch.Target}", "-u", user, "-a", password, "-x", "120"];

    private static List<string> StatusCodes(string output) => StatusLine().Matches(output).Select(m => m.Groups[1].Value).Distinct().ToList();

    [GeneratedRegex(@"^SIP/2\.0 (\d{3}) ", RegexOptions.Multiline)]
    private static partial Regex StatusLine();
}
