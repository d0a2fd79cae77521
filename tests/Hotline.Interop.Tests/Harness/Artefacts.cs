namespace Hotline.Interop.Tests.Harness;

/// <summary>
/// Where a run keeps what the peers and the switch wrote: /tmp/hotline-interop/run-*/&lt;name&gt;/.
/// A test's folder is deleted when it passes (unless HOTLINE_INTEROP_KEEP=1) and kept, with its path
/// in the failure message, when it does not.
/// </summary>
public static class Artefacts
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        var parent = Path.Combine(Path.GetTempPath(), "hotline-interop");
        Directory.CreateDirectory(parent);
        var run = Path.Combine(parent, $"run-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}");
        Directory.CreateDirectory(run);
        return run;
    });
    private static int s_counter;

    public static string Root => s_root.Value;

    public static bool Keep => Environment.GetEnvironmentVariable("HOTLINE_INTEROP_KEEP") == "1";

    /// <summary>A new, empty folder named after <paramref name="name"/> (made unique within the run).</summary>
    public static string NewDirectory(string name)
    {
        var safe = string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        if (safe.Length > 100) safe = safe[..100];
        var path = Path.Combine(Root, $"{Interlocked.Increment(ref s_counter):D3}-{safe}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        if (Keep) return;
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // a peer still writing: leave it
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Removes the run's folder at the end when every test left it empty (all passed).</summary>
public sealed class ArtefactRoot : IDisposable
{
    public void Dispose()
    {
        var root = Path.Combine(Path.GetTempPath(), "hotline-interop");
        foreach (var run in Directory.Exists(root) ? Directory.GetDirectories(root, "run-*") : [])
        {
            if (run == Artefacts.Root && !Directory.EnumerateFileSystemEntries(run).Any()) Directory.Delete(run);
        }
    }
}
