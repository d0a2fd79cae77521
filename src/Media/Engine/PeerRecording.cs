using Hotline.Media.Recording;

namespace Hotline.Media.Engine;

/// <summary>
/// What one party says, written to a mono WAV (voicemail, a prompt recorded by phone), with how long
/// it has been quiet so a caller can be cut off after a pause. Frames come from the leg's worker each
/// tick; the duration and silence figures are read from any thread.
/// </summary>
public sealed class PeerRecording : IAsyncDisposable
{
    // About −45 dBFS: below normal speech and above a quiet line's noise.
    private const double SilenceEnergy = 180.0 * 180.0;
    private readonly WavRecorder _recorder;
    private readonly Action<PeerRecording> _detach;
    private readonly int _frameMilliseconds;
    private long _frames;
    private long _silentFrames;
    private int _stopped;

    internal PeerRecording(WavRecorder recorder, int frameMilliseconds, Action<PeerRecording> detach)
    {
        _recorder = recorder;
        _frameMilliseconds = frameMilliseconds;
        _detach = detach;
    }

    public string Path => _recorder.Path;

    public TimeSpan Duration => TimeSpan.FromMilliseconds(Interlocked.Read(ref _frames) * _frameMilliseconds);

    /// <summary>How long the party has been quiet without a break.</summary>
    public TimeSpan SilentFor => TimeSpan.FromMilliseconds(Interlocked.Read(ref _silentFrames) * _frameMilliseconds);

    /// <summary>On the worker: one tick's received frame (empty when nothing played out: silence).</summary>
    internal void OnFrame(ReadOnlySpan<short> frame, int samplesPerFrame)
    {
        if (Volatile.Read(ref _stopped) != 0) return;
        if (frame.IsEmpty)
        {
            Span<short> silence = stackalloc short[samplesPerFrame];
            _recorder.Write(silence);
            Interlocked.Increment(ref _silentFrames);
        }
        else
        {
            _recorder.Write(frame);
            long sum = 0;
            foreach (var s in frame) sum += s * s;
            if (sum / (double)frame.Length < SilenceEnergy) Interlocked.Increment(ref _silentFrames);
            else Interlocked.Exchange(ref _silentFrames, 0);
        }
        Interlocked.Increment(ref _frames);
    }

    /// <summary>Stops recording and finalises the file; returns the recorded length.</summary>
    public async Task<TimeSpan> StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            _detach(this);
            await _recorder.StopAsync().ConfigureAwait(false);
        }
        return Duration;
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
