using System.Net;
using System.Net.Sockets;

namespace Hotline.Ivr.Tests.RealPeers;

/// <summary>
/// What the real-peer tests need from the machine. A missing peer skips the test on a developer's machine and
/// fails it under CI (CI=true), where SIPp is installed and the tests run as root.
/// </summary>
internal static class Peers
{
    private static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static void RequireSipp() => Require(OnPath("sipp"), "SIPp is not installed (apt-get install sip-tester)");

    /// <summary>SIPp's play_pcap_audio sends RTP through a raw socket: root (or CAP_NET_RAW, which we can't see from here).</summary>
    public static void RequirePcapPlayback()
    {
        RequireSipp();
        Require(Environment.IsPrivilegedProcess, "SIPp's play_pcap_audio needs a raw socket: run the tests as root");
        Require(File.Exists(Pcap("dtmf_2833_1")), "SIPp's RTP pcaps are missing from /usr/share/sip-tester (apt-get install sip-tester)");
    }

    /// <summary>A pcap shipped with SIPp, e.g. "dtmf_2833_pound" or "g711a".</summary>
    public static string Pcap(string name) => Path.Combine("/usr/share/sip-tester", name + ".pcap");

    private static void Require(bool present, string message)
    {
        if (present) return;
        if (UnderCi) Assert.Fail(message);
        Assert.Skip(message);
    }

    private static bool OnPath(string tool) => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, tool)));


    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after <paramref name="within"/>.</summary>
    public static async Task Eventually(Func<bool> condition, string what, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out after {within.TotalSeconds:0} s waiting for {what}");
            await Task.Delay(50);
        }
    }
}
