using Hotline.Media.Codecs;
using Hotline.Media.Recording;

namespace Hotline.Media.Engine;

/// <summary>
/// A two-party call's stereo recording: the caller's received audio left, the callee's right, each
/// resampled to the recording's rate, one frame per tick so the channels stay aligned sample for sample.
/// A bridge writes it while it relays the call; when the call is moved into a room the same object goes
/// with it (resampler history included) and the room writes it from its own tick, so the file carries on
/// seamlessly. Owned by whichever worker writes it; nothing here allocates per frame.
/// </summary>
internal sealed class CallRecording
{
    /// <summary>A hand-over gap longer than this (5 s) is not padded: the worker was stalled, not moving legs.</summary>
    private const long MaxPaddedTicks = 250;

    private readonly short[] _left;
    private readonly short[] _right;
    private Resampler? _callerResampler;
    private Resampler? _calleeResampler;
    private long _lastTick = -1;
    private bool _padGap;

    public CallRecording(WavRecorder recorder, RtpLeg caller, RtpLeg callee)
    {
        Recorder = recorder;
        Caller = caller;
        Callee = callee;
        _left = new short[recorder.SampleRate / 50];
        _right = new short[recorder.SampleRate / 50];
    }

    public WavRecorder Recorder { get; }
    public RtpLeg Caller { get; }
    public RtpLeg Callee { get; }

    /// <summary>Frames written (silence included).</summary>
    public long Frames { get; private set; }

    /// <summary>Worker thread: the legs' rates may have changed (negotiation): set up the resamplers to match.</summary>
    public void Plan()
    {
        _callerResampler = Ensure(_callerResampler, Caller.SampleRate, Recorder.SampleRate);
        _calleeResampler = Ensure(_calleeResampler, Callee.SampleRate, Recorder.SampleRate);
    }

    /// <summary>
    /// The recording changes hands (bridge to room): the ticks that pass before the new owner's first
    /// frame are written as silence then, so the file's length keeps matching the call's.
    /// </summary>
    public void HandOver() => _padGap = true;

    /// <summary>One tick: each side's received frame at its leg's rate, empty when it had none (written as silence).</summary>
    public void Write(ReadOnlySpan<short> caller, ReadOnlySpan<short> callee, long tick)
    {
        if (_padGap && _lastTick >= 0)
        {
            long missed = Math.Min(tick - _lastTick - 1, MaxPaddedTicks);
            Array.Clear(_left);
            for (long i = 0; i < missed; i++)
            {
                Recorder.WriteStereo(_left, _left);
                Frames++;
            }
        }
        _padGap = false;
        _lastTick = tick;
        var left = Resample(caller, _callerResampler, _left);
        var right = Resample(callee, _calleeResampler, _right);
        // Every tick writes a frame, silence where a side had none, so the file's length is the call's.
        if (left.IsEmpty)
            left = Silence(_left);
        if (right.IsEmpty)
            right = Silence(_right);
        Recorder.WriteStereo(left, right);
        Frames++;
    }

    private static ReadOnlySpan<short> Resample(ReadOnlySpan<short> frame, Resampler? resampler, short[] output)
    {
        if (frame.IsEmpty || resampler is null)
            return default;
        if (resampler.InputRate == resampler.OutputRate)
            return frame;
        int n = resampler.Process(frame, output);
        return output.AsSpan(0, n);
    }

    private static ReadOnlySpan<short> Silence(short[] buffer)
    {
        Array.Clear(buffer);
        return buffer;
    }

    private static Resampler Ensure(Resampler? current, int from, int to) =>
        current is not null && current.InputRate == from && current.OutputRate == to ? current : new Resampler(from, to);
}
