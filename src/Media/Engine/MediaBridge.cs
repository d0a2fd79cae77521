using Hotline.Media.Recording;

namespace Hotline.Media.Engine;

/// <summary>
/// Two endpoints connected: each hears the other (relayed on arrival with the same codec, transcoded
/// otherwise), optionally recorded to a stereo WAV, caller left, callee right. Disposing disconnects the
/// endpoints (they stay open) and finalises the recording.
/// </summary>
public sealed class MediaBridge : IAsyncDisposable
{
    private readonly MediaEngine _engine;
    private readonly Lock _gate = new();
    private MediaWorker? _worker;
    private bool _disposed;
    private Task? _closed;

    internal MediaBridge(MediaEngine engine, MediaEndpoint caller, MediaEndpoint callee, BridgeCore core, WavRecorder? recorder, string? recordingPath)
    {
        _engine = engine;
        Caller = caller;
        Callee = callee;
        Core = core;
        Recorder = recorder;
        RecordingPath = recordingPath;
    }

    public MediaEndpoint Caller { get; }
    public MediaEndpoint Callee { get; }

    /// <summary>Both legs are negotiated, with different codecs: audio is decoded and encoded again.</summary>
    public bool Transcoding => Core.Transcoding;

    /// <summary>Full path of the recording, or null when not recorded.</summary>
    public string? RecordingPath { get; }

    /// <summary>The recording, for its counters; null when not recorded.</summary>
    public WavRecorder? Recorder { get; }

    internal BridgeCore Core { get; }

    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the legs are gathered and relaying started (or the bridge was disposed first).</summary>
    internal Task Started => _started.Task;

    /// <summary>Worker thread, once both legs are on it: starts relaying (unless disposed meanwhile).</summary>
    internal void StartOn(MediaWorker worker)
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _worker = worker;
        }
        worker.AddAttachment(Core);
        Core.Start(worker.Now);
        _started.TrySetResult();
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
            _closed ??= Close(_worker);
        }
        _started.TrySetResult();
        return new ValueTask(_closed);
    }

    private async Task Close(MediaWorker? worker)
    {
        if (worker is not null && !worker.IsStopped)
        {
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            worker.Post(() =>
            {
                Core.Stop();
                worker.RemoveAttachment(Core);
                stopped.TrySetResult();
            });
            await stopped.Task.ConfigureAwait(false);
        }
        if (Recorder is not null)
            await Recorder.StopAsync().ConfigureAwait(false);
        _engine.Forget(this);
    }
}
