using System.Runtime.InteropServices;
using NAudio.Wave;

namespace Hotline.Media.Recording;

/// <summary>
/// One recording. The media thread hands frames over with <see cref="Write"/> or
/// <see cref="WriteStereo"/>: they are copied into a pooled buffer and queued for the shared
/// <see cref="RecordingWriter"/>; nothing here touches the disk, blocks or allocates in steady state.
/// </summary>
/// <remarks>
/// The file is written with NAudio's <see cref="WaveFileWriter"/>: its Flush writes the buffered
/// audio and then rewrites the RIFF size (offset 4) and data size (offset 40) in place, so the
/// writer calls it every <see cref="RecordingWriterOptions.HeaderUpdateInterval"/> and the file is
/// a valid WAV while it grows. Flush does not fsync: a process crash loses nothing the OS has,
/// and <see cref="WavRepair"/> fixes the sizes left stale since the last update.
/// </remarks>
public sealed class WavRecorder : IAsyncDisposable
{
    private readonly RecordingWriter _writer;
    private Task? _stop;
    private long _framesQueued;
    private long _droppedFrames;

    // Writer-thread state.
    private Stream? _stream;
    private WaveFileWriter? _wave;
    private bool _dirty;
    private volatile Exception? _error;

    internal WavRecorder(RecordingWriter writer, string path, int sampleRate, WavChannelLayout layout)
    {
        _writer = writer;
        Path = path;
        SampleRate = sampleRate;
        Layout = layout;
    }

    public string Path { get; }
    public int SampleRate { get; }
    public WavChannelLayout Layout { get; }

    /// <summary>Frames accepted for writing.</summary>
    public long FramesQueued => Interlocked.Read(ref _framesQueued);

    /// <summary>Frames this recording lost because the shared backlog was full.</summary>
    public long DroppedFrames => Interlocked.Read(ref _droppedFrames);

    /// <summary>Why the file could not be opened or written, if it couldn't.</summary>
    public Exception? Error => _error;

    public bool IsStopped => Volatile.Read(ref _stop) is not null;

    /// <summary>
    /// Hands over one frame of mono PCM. On a stereo recording it goes to both channels. Returns
    /// false if the recording is stopped or the frame was dropped (backlog full).
    /// </summary>
    public bool Write(ReadOnlySpan<short> frame) =>
        Layout == WavChannelLayout.Mono ? Enqueue(frame, default, mix: false) : Enqueue(frame, frame, mix: false);

    /// <summary>
    /// Hands over one tick of both sides: <paramref name="caller"/> left, <paramref name="callee"/>
    /// right. A side with no frame this tick is passed empty and recorded as silence for the length
    /// of the other, so the channels never drift apart. On a mono recording the sides are mixed.
    /// </summary>
    public bool WriteStereo(ReadOnlySpan<short> caller, ReadOnlySpan<short> callee) =>
        Enqueue(caller, callee, mix: Layout == WavChannelLayout.Mono);

    /// <summary>Stops accepting frames; completes when every queued frame is written and the header is final.</summary>
    public Task StopAsync()
    {
        var stop = Volatile.Read(ref _stop);
        if (stop is not null)
            return stop;
        var created = _writer.Close(this);
        return Interlocked.CompareExchange(ref _stop, created, null) ?? created;
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private bool Enqueue(ReadOnlySpan<short> left, ReadOnlySpan<short> right, bool mix)
    {
        int samples = Math.Max(left.Length, right.Length);
        if (IsStopped || _error is not null || samples == 0)
            return false;

        int channels = mix || Layout == WavChannelLayout.Mono ? 1 : 2;
        int bytes = samples * channels * sizeof(short);
        byte[] buffer = _writer.Pool.Rent(bytes);
        var pcm = MemoryMarshal.Cast<byte, short>(buffer.AsSpan(0, bytes));
        if (channels == 1 && !mix)
            left.CopyTo(pcm);
        else if (mix)
            Mix(left, right, pcm);
        else
            Interleave(left, right, pcm);

        if (_writer.TryEnqueueFrame(this, buffer, bytes))
        {
            Interlocked.Increment(ref _framesQueued);
            return true;
        }
        Interlocked.Increment(ref _droppedFrames);
        return false;
    }

    private static void Interleave(ReadOnlySpan<short> left, ReadOnlySpan<short> right, Span<short> stereo)
    {
        if (left.Length == right.Length && stereo.Length == 2 * left.Length)
        {
            // Every tick of a two-party recording: one 32-bit store per sample pair, no branches (the
            // writer checked at start that samples are little-endian, left sample first).
            var pairs = MemoryMarshal.Cast<short, uint>(stereo);
            for (int i = 0; i < pairs.Length; i++)
                pairs[i] = (ushort)left[i] | ((uint)(ushort)right[i] << 16);
            return;
        }
        for (int i = 0, j = 0; j < stereo.Length; i++, j += 2)
        {
            stereo[j] = i < left.Length ? left[i] : (short)0;
            stereo[j + 1] = i < right.Length ? right[i] : (short)0;
        }
    }

    private static void Mix(ReadOnlySpan<short> a, ReadOnlySpan<short> b, Span<short> mono)
    {
        for (int i = 0; i < mono.Length; i++)
        {
            int sum = (i < a.Length ? a[i] : 0) + (i < b.Length ? b[i] : 0);
            mono[i] = (short)Math.Clamp(sum, short.MinValue, short.MaxValue);
        }
    }

    // ---- Writer thread only below ----

    internal bool IsOpen => _wave is not null;

    /// <summary>Closed for good: a frame that raced with the stop must not reopen (and truncate) the file.</summary>
    internal bool IsClosed { get; private set; }
    internal long LastHeaderUpdate { get; private set; }

    internal void OpenFile(Stream stream, long now)
    {
        _stream = stream;
        _wave = new WaveFileWriter(stream, new WaveFormat(SampleRate, 16, (int)Layout));
        // Put a valid header (data size 0) on disk at once.
        _wave.Flush();
        LastHeaderUpdate = now;
    }

    internal void WriteToFile(ReadOnlySpan<byte> pcm)
    {
        _wave!.Write(pcm);
        _dirty = true;
    }

    internal void UpdateHeader(long now)
    {
        LastHeaderUpdate = now;
        if (!_dirty)
            return;
        _dirty = false;
        _wave!.Flush();
    }

    internal void CloseFile()
    {
        IsClosed = true;
        try
        {
            // Disposing NAudio's writer finalises the sizes; the stream is ours to close.
            _wave?.Dispose();
        }
        catch (IOException e)
        {
            SetError(e);
        }
        finally
        {
            _stream?.Dispose();
            _wave = null;
            _stream = null;
        }
    }

    internal void SetError(Exception e)
    {
        _error ??= e;
        try
        {
            _stream?.Dispose();
        }
        catch (IOException)
        {
            // Already failing; the first error is the one reported.
        }
        _wave = null;
        _stream = null;
    }
}
