using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Hotline.Media.Tests.Engine;

/// <summary>
/// SoX as an independent reader of our recordings. Missing: the test is skipped, unless CI=true, where a
/// missing tool is a failure (CI installs it).
/// </summary>
internal static partial class Sox
{
    public static void Require()
    {
        bool installed = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "sox")));
        if (installed)
            return;
        const string message = "sox is not installed (apt-get install sox).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail(message);
        Assert.Skip(message);
    }

    /// <summary>SoX's "Rough frequency" of one channel (1-based) of a WAV file.</summary>
    public static double RoughFrequency(string wav, int channel, double trimStartSeconds = 0)
    {
        var psi = new ProcessStartInfo("sox") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { wav, "-n", "remix", channel.ToString(CultureInfo.InvariantCulture), "trim",
                     trimStartSeconds.ToString(CultureInfo.InvariantCulture), "stat" })
            psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        string stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(30_000), "sox did not finish");
        Assert.True(process.ExitCode == 0, $"sox failed: {stderr}");
        var match = RoughFrequencyLine().Match(stderr);
        Assert.True(match.Success, $"no frequency in sox output: {stderr}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"Rough\s+frequency:\s+(\d+)")]
    private static partial Regex RoughFrequencyLine();
}
