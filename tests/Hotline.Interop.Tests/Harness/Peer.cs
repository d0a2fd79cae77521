using System.Diagnostics;

namespace Hotline.Interop.Tests.Harness;

/// <summary>
/// Finds the external SIP peers (sipp, baresip, sipsak, sipvicious) on PATH. A missing peer skips
/// the test on a developer's machine and fails it in CI (CI=true), where .ci/run installs them.
/// </summary>
public static class Peer
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The full path of <paramref name="program"/>; skips (or, in CI, fails) the test when it is not installed.</summary>
    public static string Require(string program)
    {
        if (Find(program) is { } path) return path;
        if (IsCi) Assert.Fail($"{program} not installed (CI=true: .ci/run must install it)");
        Assert.Skip($"{program} not installed");
        throw new UnreachableException();
    }

    public static string? Find(string program)
    {
        if (Path.IsPathRooted(program)) return File.Exists(program) ? program : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & UnixFileMode.UserExecute) != 0))
                return candidate;
        }
        return null;
    }
}
