using System.Diagnostics;

namespace Hotline.Media.Tests.Codecs;

/// <summary>
/// Runs the reference tools (sox, ffmpeg, espeak-ng, opus-tools). A missing tool skips the test on a
/// developer machine and fails it under CI (CI=true), where .ci/run installs them.
/// </summary>
internal static class ExternalTool
{
    public static void Require(params string[] tools)
    {
        foreach (var tool in tools)
        {
            if (Find(tool) is not null)
                continue;
            string message = $"External tool '{tool}' is not installed (apt-get install sox ffmpeg espeak-ng opus-tools).";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                Assert.Fail(message);
            Assert.Skip(message);
        }
    }

    public static string? Find(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0)
                continue;
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>Runs <paramref name="tool"/> and fails the test with its stderr if it exits non-zero.</summary>
    public static void Run(string tool, params string[] arguments)
    {
        Require(tool);
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            Assert.Fail($"{tool} {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr.Result}{stdout.Result}");
    }

    /// <summary>A fresh directory under /tmp for one test's files.</summary>
    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hotline-codecs-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
