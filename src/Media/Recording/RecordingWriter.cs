using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotline.Media.Recording;

/// <summary>
/// The one background writer all recordings share: a single thread drains a bounded queue of
/// frames and does every disk write, so media threads never touch the disk, never block and never
/// allocate in steady state. Create one per process (the composition root owns it) and start
/// recordings with <see cref="Start"/>.
/// </summary>
/// <remarks>
/// A dedicated thread rather than a thread-pool task, because FileStream writes block: a slow disk
/// must stall only this thread. The queue is a ConcurrentQueue bounded by an interlocked count:
/// when <see cref="RecordingWriterOptions.MaxBacklogFrames"/> frames are waiting, new frames are
/// dropped and counted (<see cref="DroppedFrames"/>), which bounds memory when the disk can't keep up.
/// Control items (open, close, flush) bypass the bound so they are never lost.
/// </remarks>
public sealed class RecordingWriter : IAsyncDisposable
{
    private readonly ConcurrentQueue<WorkItem> _queue = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly FramePool _pool = new();
    private readonly List<WavRecorder> _open = [];
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _thread;
    private readonly ILogger _logger;
    private int _backlog;
    private long _dropped;
    private long _writeErrors;
    private volatile bool _disposing;

    public RecordingWriter(RecordingWriterOptions? options = null, TimeProvider? timeProvider = null, ILogger<RecordingWriter>? logger = null)
    {
        Options = options ?? new RecordingWriterOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxBacklogFrames, 1);
        Time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _thread = new Thread(Run) { IsBackground = true, Name = "Hotline recording writer" };
        _thread.Start();
    }

    public RecordingWriterOptions Options { get; }

    internal TimeProvider Time { get; }

    /// <summary>Frames dropped over all recordings because the backlog was full.</summary>
    public long DroppedFrames => Interlocked.Read(ref _dropped);

    /// <summary>Frames queued and not yet written.</summary>
    public int Backlog => Volatile.Read(ref _backlog);

    /// <summary>Recordings that failed to open or write (the disk full, a bad path).</summary>
    public long WriteErrors => Interlocked.Read(ref _writeErrors);

    /// <summary>
    /// Starts a PCM16 WAV recording at 8 or 16 kHz. The file is created by the writer thread
    /// shortly after; frames handed over before that are queued, not lost.
    /// </summary>
    public WavRecorder Start(string path, int sampleRate, WavChannelLayout layout)
    {
        ObjectDisposedException.ThrowIf(_disposing, this);
        if (sampleRate is not (8000 or 16000))
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Recordings are 8 or 16 kHz.");
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("WAV samples are little-endian and are copied as they are in memory.");
        var recorder = new WavRecorder(this, Path.GetFullPath(path), sampleRate, layout);
        Enqueue(new WorkItem(WorkKind.Open, recorder, null, 0, null));
        return recorder;
    }

    /// <summary>Completes when everything queued before the call is written and every open header is up to date.</summary>
    public Task FlushAsync() => Barrier(forceHeaders: true);

    /// <summary>Stops accepting recordings, writes what is queued, finalises every open file and stops the thread.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        _wake.Release();
        await _stopped.Task.ConfigureAwait(false);
    }

    /// <summary>Completes after the writer has drained what is queued and applied the periodic header policy (tests).</summary>
    internal Task DrainAsync() => Barrier(forceHeaders: false);

    internal FramePool Pool => _pool;

    /// <summary>Media thread: queue a filled pooled frame unless the backlog is full. Never blocks.</summary>
    internal bool TryEnqueueFrame(WavRecorder recorder, byte[] buffer, int length)
    {
        if (Interlocked.Increment(ref _backlog) > Options.MaxBacklogFrames || _disposing)
        {
            Interlocked.Decrement(ref _backlog);
            Interlocked.Increment(ref _dropped);
            _pool.Return(buffer);
            return false;
        }
        _queue.Enqueue(new WorkItem(WorkKind.Frame, recorder, buffer, length, null));
        return true;
    }

    internal Task Close(WavRecorder recorder)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new WorkItem(WorkKind.Close, recorder, null, 0, done));
        return done.Task;
    }

    private Task Barrier(bool forceHeaders)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new WorkItem(forceHeaders ? WorkKind.Flush : WorkKind.Drain, null, null, 0, done));
        return done.Task;
    }

    private void Enqueue(WorkItem item)
    {
        if (_stopped.Task.IsCompleted)
        {
            // The thread is gone: nothing will run the item, so settle it here.
            item.Done?.TrySetResult();
            return;
        }
        _queue.Enqueue(item);
        _wake.Release();
        if (_stopped.Task.IsCompleted)
            SettleOrphans();
    }

    /// <summary>Items that raced with the thread's exit: complete their waiters.</summary>
    private void SettleOrphans()
    {
        while (_queue.TryDequeue(out var item))
            item.Done?.TrySetResult();
    }

    private void Run()
    {
        if (Options.ThreadNice != 0 && !Engine.WorkerPriority.TrySetCurrentThread(Options.ThreadNice, out var refused))
            _logger.LogWarning("the recording writer runs at the process's priority: {Reason}", refused);
        try
        {
            while (true)
            {
                _wake.Wait(Options.DrainInterval);
                Drain();
                UpdateHeaders(force: false);
                if (_disposing && _queue.IsEmpty)
                    break;
            }
        }
        finally
        {
            foreach (var recorder in _open)
                recorder.CloseFile();
            _open.Clear();
            _stopped.TrySetResult();
            SettleOrphans();
        }
    }

    private void Drain()
    {
        int sinceHeaderCheck = 0;
        while (_queue.TryDequeue(out var item))
        {
            switch (item.Kind)
            {
                case WorkKind.Frame:
                    Write(item.Recorder!, item.Buffer!, item.Length);
                    _pool.Return(item.Buffer!);
                    Interlocked.Decrement(ref _backlog);
                    // Producers may outpace a drain; keep headers fresh meanwhile.
                    if (++sinceHeaderCheck == 1024)
                    {
                        sinceHeaderCheck = 0;
                        UpdateHeaders(force: false);
                    }
                    break;
                case WorkKind.Open:
                    Open(item.Recorder!);
                    break;
                case WorkKind.Close:
                    item.Recorder!.CloseFile();
                    _open.Remove(item.Recorder!);
                    item.Done!.TrySetResult();
                    break;
                case WorkKind.Flush:
                    UpdateHeaders(force: true);
                    item.Done!.TrySetResult();
                    break;
                case WorkKind.Drain:
                    UpdateHeaders(force: false);
                    item.Done!.TrySetResult();
                    break;
            }
        }
    }

    private void Open(WavRecorder recorder)
    {
        if (recorder.IsOpen || recorder.IsClosed || recorder.Error is not null)
            return;
        try
        {
            var stream = Options.OpenStream?.Invoke(recorder.Path) ?? OpenFile(recorder.Path);
            recorder.OpenFile(stream, Time.GetTimestamp());
            _open.Add(recorder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Fail(recorder, e);
        }
    }

    private void Write(WavRecorder recorder, byte[] buffer, int length)
    {
        if (!recorder.IsOpen)
            Open(recorder);
        if (!recorder.IsOpen)
            return;
        try
        {
            recorder.WriteToFile(buffer.AsSpan(0, length));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            Fail(recorder, e);
        }
    }

    private void UpdateHeaders(bool force)
    {
        long now = Time.GetTimestamp();
        for (int i = _open.Count - 1; i >= 0; i--)
        {
            var recorder = _open[i];
            if (!force && Time.GetElapsedTime(recorder.LastHeaderUpdate, now) < Options.HeaderUpdateInterval)
                continue;
            try
            {
                recorder.UpdateHeader(now);
            }
            catch (IOException e)
            {
                Fail(recorder, e);
            }
        }
    }

    private void Fail(WavRecorder recorder, Exception e)
    {
        Interlocked.Increment(ref _writeErrors);
        _logger.LogError(e, "Recording {Path} failed; its remaining frames are discarded", recorder.Path);
        recorder.SetError(e);
        _open.Remove(recorder);
    }

    private static FileStream OpenFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // FileShare.Read so players and tests can read the file while it is being written.
        return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 16 * 1024);
    }

    private enum WorkKind : byte { Frame, Open, Close, Flush, Drain }

    private readonly record struct WorkItem(WorkKind Kind, WavRecorder? Recorder, byte[]? Buffer, int Length, TaskCompletionSource? Done);
}
