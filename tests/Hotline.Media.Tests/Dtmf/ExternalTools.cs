using System.Diagnostics;

namespace Hotline.Media.Tests.Dtmf;

/// <summary>
/// Tests that need a tool or file from the machine (sox, espeak-ng, SIPp's pcaps): skipped with a message
/// naming it when missing, unless CI=true, where a missing tool is a failure.
/// </summary>
internal static class ExternalTools
{
    private static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static void RequireTool(string tool)
    {
        bool found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));
        if (found) return;
        Missing($"external tool '{tool}' is not installed");
    }

    public static void RequireFile(string path, string providedBy)
    {
        if (!File.Exists(path)) Missing($"'{path}' (from {providedBy}) is not present");
    }

    private static void Missing(string what)
    {
        if (InCi) Assert.Fail($"{what}; CI installs it, so this is a failure");
        Assert.Skip($"{what}; install it to run this test");
    }

    /// <summary>Runs a tool and fails the test with its stderr when it does not exit 0.</summary>
    public static void Run(string tool, params string[] arguments)
    {
        RequireTool(tool);
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        string stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr}");
    }

    /// <summary>Reads headerless signed 16-bit little-endian mono PCM.</summary>
    public static short[] ReadRawPcm(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var samples = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 2);
        return samples;
    }

    public static string TempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "hotline-dtmf-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
