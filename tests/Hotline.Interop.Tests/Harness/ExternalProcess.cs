using System.Diagnostics;
using System.Text;

namespace Hotline.Interop.Tests.Harness;

/// <summary>
/// A program the tests started: its standard output and error are kept in memory (for assertions)
/// and written to files in the test's artefact folder (for diagnosis). Every wait is bounded, and
/// disposing kills the process if it is still running — only this PID, never by name.
/// </summary>
public sealed class ExternalProcess : IAsyncDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Process _process;
    private readonly StreamWriter _stdoutFile;
    private readonly StreamWriter _stderrFile;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = NewSignal();
    private int _openStreams = 2;

    private ExternalProcess(Process process, string directory, string name)
    {
        _process = process;
        Name = name;
        StdoutPath = Path.Combine(directory, name + ".stdout.log");
        StderrPath = Path.Combine(directory, name + ".stderr.log");
        _stdoutFile = new StreamWriter(StdoutPath, append: false, Utf8) { AutoFlush = true };
        _stderrFile = new StreamWriter(StderrPath, append: false, Utf8) { AutoFlush = true };
        CommandLine = process.StartInfo.FileName + " " + string.Join(' ', process.StartInfo.ArgumentList.Select(Quote));
        File.WriteAllText(Path.Combine(directory, name + ".cmd"), CommandLine + Environment.NewLine);
    }

    public string Name { get; }
    public string CommandLine { get; }
    public string StdoutPath { get; }
    public string StderrPath { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <paramref name="program"/> with <paramref name="arguments"/> in <paramref name="directory"/>
    /// (also where its logs go, as <paramref name="name"/>.stdout.log / .stderr.log). Standard input is
    /// closed at once, so nothing waits on a terminal.
    /// </summary>
    public static ExternalProcess Start(string program, IEnumerable<string> arguments, string directory, string name,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        if (environment is not null)
        {
            foreach (var (k, v) in environment) info.Environment[k] = v;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var external = new ExternalProcess(process, directory, name);
        process.OutputDataReceived += (_, e) => external.OnLine(e.Data, stderr: false);
        process.ErrorDataReceived += (_, e) => external.OnLine(e.Data, stderr: true);
        process.Exited += (_, _) => external.Signal();
        if (!process.Start()) throw new InvalidOperationException($"could not start {external.CommandLine}");
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return external;
    }

    public IReadOnlyList<string> StdoutLines
    {
        get { lock (_lock) return _stdout.ToList(); }
    }

    public IReadOnlyList<string> StderrLines
    {
        get { lock (_lock) return _stderr.ToList(); }
    }

    /// <summary>Standard output and error, each line once, output first.</summary>
    public string Output
    {
        get { lock (_lock) return string.Join('\n', _stdout.Concat(_stderr)); }
    }

    public int Count(Func<string, bool> match)
    {
        lock (_lock) return _stdout.Count(match) + _stderr.Count(match);
    }

    /// <summary>The last <paramref name="lines"/> lines of output and of error, for failure messages.</summary>
    public string Tail(int lines = 25)
    {
        lock (_lock)
        {
            var text = new StringBuilder();
            text.Append("--- ").Append(Name).Append(" (").Append(CommandLine).Append(")\n");
            foreach (var l in _stdout.TakeLast(lines)) text.Append("  out| ").Append(l).Append('\n');
            foreach (var l in _stderr.TakeLast(lines)) text.Append("  err| ").Append(l).Append('\n');
            return text.ToString();
        }
    }

    /// <summary>
    /// Waits until a line of output or error satisfies <paramref name="match"/> and returns it, or
    /// returns null when <paramref name="timeout"/> passes or the process ends without one.
    /// </summary>
    public async Task<string?> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                var found = _stdout.FirstOrDefault(match) ?? _stderr.FirstOrDefault(match);
                if (found is not null) return found;
                if (_openStreams == 0 && _process.HasExited) return null;
                changed = _changed.Task;
            }
            var left = timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero) return null;
            try
            {
                await changed.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
            }
            catch (TimeoutException)
            {
                // re-check: the process may have exited while its streams were still open
            }
        }
    }

    /// <summary>Returns when a line arrives, the process exits, or <paramref name="max"/> passes, whichever is first.</summary>
    public async Task WaitForChangeAsync(TimeSpan max)
    {
        Task changed;
        lock (_lock) changed = _changed.Task;
        if (max <= TimeSpan.Zero || _process.HasExited) return;
        try
        {
            await changed.WaitAsync(max);
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>Waits for the process to end and its output to be read; kills it and throws when <paramref name="timeout"/> passes first.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"{Name} did not finish within {timeout.TotalSeconds:0} s and was killed\n{Tail()}");
        }
        await DrainAsync(TimeSpan.FromSeconds(5));
        return _process.ExitCode;
    }

    /// <summary>Kills the process (this PID only) if it is still running.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
            await DrainAsync(TimeSpan.FromSeconds(2));
        }
        catch (OperationCanceledException)
        {
            // a process that does not die within 10 s after SIGKILL is beyond our reach; its logs are kept
        }
        lock (_lock)
        {
            _stdoutFile.Dispose();
            _stderrFile.Dispose();
        }
        _process.Dispose();
    }

    private async Task DrainAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (Volatile.Read(ref _openStreams) > 0 && deadline.Elapsed < timeout) await Task.Delay(10);
    }

    private void OnLine(string? line, bool stderr)
    {
        lock (_lock)
        {
            if (line is null)
            {
                _openStreams--;
            }
            else
            {
                (stderr ? _stderr : _stdout).Add(line);
                try
                {
                    (stderr ? _stderrFile : _stdoutFile).WriteLine(line);
                }
                catch (ObjectDisposedException)
                {
                    // a late line after disposal: kept in memory only
                }
            }
        }
        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource done;
        lock (_lock)
        {
            done = _changed;
            _changed = NewSignal();
        }
        done.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string Quote(string a) => a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || "-_./:=,@+%".Contains(c)) ? a : "'" + a.Replace("'", "'\\''") + "'";
}
