using Hotline.Media.Playback;
using Hotline.Media.Recording;

namespace Hotline.Media.Engine;

/// <summary>
/// A mixing room: endpoints mixed at one rate (8 or 16 kHz), whatever their codecs, each hearing everyone
/// but itself; talkers, listeners and whisperers (<see cref="ConferenceRole"/>), mute, tones and prompts
/// played to everyone, a mono recording of the mixed room, and two-party calls moved in from their bridge
/// with their stereo recording going on. Everything runs on the room's worker: endpoints are moved onto it
/// when they join (leaving any bridge or other room). Methods may be called from any thread.
/// </summary>
public sealed partial class ConferenceRoom : IAsyncDisposable
{
    private readonly MediaEngine _engine;
    private readonly Lock _gate = new();
    private readonly Dictionary<MediaEndpoint, ConferenceMember> _members = [];
    private volatile MediaWorker _worker;
    private string? _recordingPath;
    private Task? _closed;

    internal ConferenceRoom(MediaEngine engine, string name, ConferenceCore core, MediaWorker worker)
    {
        _engine = engine;
        Name = name;
        Core = core;
        _worker = worker;
    }

    public string Name { get; }
    public int SampleRate => Core.SampleRate;

    internal ConferenceCore Core { get; }

    /// <summary>The worker mixing the room now (an empty room moves to a bridge's worker to take its call).</summary>
    internal MediaWorker Worker => _worker;

    /// <summary>Members in the room, or joining it.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _members.Count;
        }
    }

    /// <summary>Endpoints in the room (as asked; joining completes on the room's worker shortly after).</summary>
    public IReadOnlyCollection<MediaEndpoint> Members
    {
        get
        {
            lock (_gate)
                return [.. _members.Keys];
        }
    }

    /// <summary>The recording of the mixed room in progress (full path), if any.</summary>
    public string? RecordingPath
    {
        get
        {
            lock (_gate)
                return _recordingPath;
        }
    }

    /// <summary>
    /// Adds an endpoint as <paramref name="role"/> (a whisperer is heard by nobody until
    /// <see cref="ConferenceMember.SetRole"/> names whom it whispers to); completes once it is in the mix.
    /// Whatever the engine was playing into the endpoint stops. An endpoint already in the room stays as it is.
    /// A closed endpoint gives a member that has already left.
    /// </summary>
    public Task<ConferenceMember> AddAsync(MediaEndpoint endpoint, ConferenceRole role = ConferenceRole.Talker)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ConferenceMember member;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed is not null, this);
            if (_members.TryGetValue(endpoint, out var existing))
                return Task.FromResult(existing);
            member = new ConferenceMember(this, endpoint, role);
            _members.Add(endpoint, member);
        }
        var joined = new TaskCompletionSource<ConferenceMember>(TaskCreationOptions.RunContinuationsAsynchronously);
        GatherHere([endpoint.Leg], _ =>
        {
            Join(member);
            joined.TrySetResult(member);
        });
        return joined.Task;
    }

    /// <summary>Takes an endpoint out of the room (it stays open, attached to nothing); completes once it is out of the mix.</summary>
    public Task RemoveAsync(MediaEndpoint endpoint)
    {
        ConferenceMember? member;
        lock (_gate)
            _members.TryGetValue(endpoint, out member);
        return member is null ? Task.CompletedTask : RemoveAsync(member);
    }

    /// <summary>Plays a tone (e.g. <see cref="ConferenceTones.Join"/>) to every member, replacing a tone that is playing.</summary>
    public void PlayTone(ToneSpec tone)
    {
        ArgumentNullException.ThrowIfNull(tone);
        var generator = new ToneGenerator(tone, SampleRate);
        RunHere(_ => Core.PlayTone(generator));
    }

    /// <summary>
    /// Plays a WAV prompt to every member (and into the room's recording), replacing one that is playing.
    /// True when it played to the end, false when stopped, replaced or the room closed; cancelling stops it
    /// and throws. The file is loaded (and cached) here: FileNotFoundException or InvalidDataException if it
    /// cannot be read.
    /// </summary>
    public Task<bool> PlayPromptAsync(string path, CancellationToken ct = default)
    {
        var playing = new ConferencePrompt(_engine.Prompts.Get(path, SampleRate));
        lock (_gate)
            ObjectDisposedException.ThrowIf(_closed is not null, this);
        RunHere(_ => Core.PlayPrompt(playing));
        return AwaitPrompt(playing, ct);
    }

    /// <summary>Stops the prompt playing, if any.</summary>
    public void StopPrompt() => RunHere(_ => Core.StopPrompt(null));

    /// <summary>
    /// Starts recording the mixed room (what a silent listener hears, tones and prompts included) to a mono
    /// WAV at the room's rate through the engine's recording writer. A relative path is under the engine's
    /// recordings root. Throws when a recording is already in progress.
    /// </summary>
    public void StartRecording(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(Path.Combine(_engine.Options.RecordingsRoot ?? Environment.CurrentDirectory, path));
        WavRecorder recorder;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed is not null, this);
            if (_recordingPath is not null)
                throw new InvalidOperationException($"{Name} is already recording to {_recordingPath}");
            _recordingPath = full;
            recorder = _engine.Recordings.Start(full, SampleRate, WavChannelLayout.Mono);
        }
        RunHere(_ =>
        {
            // Closed meanwhile: the file is finalised empty rather than left open.
            if (!Core.StartRecording(recorder))
                recorder.StopAsync();
        });
    }

    /// <summary>Stops the recording of the mixed room; completes when its WAV header is final.</summary>
    public async Task StopRecordingAsync()
    {
        var stopped = new TaskCompletionSource<WavRecorder?>(TaskCreationOptions.RunContinuationsAsynchronously);
        RunHere(_ => stopped.TrySetResult(Core.StopRecording()));
        var recorder = await stopped.Task.ConfigureAwait(false);
        lock (_gate)
            _recordingPath = null;
        if (recorder is not null)
            await recorder.StopAsync().ConfigureAwait(false);
    }

    /// <summary>Everyone leaves (their endpoints stay open), sounds stop, the recording is finalised, and the room stops mixing.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
            _closed ??= Close();
        return new ValueTask(_closed);
    }

    public override string ToString() => $"{Name} ({Count} members, {SampleRate} Hz)";

    /// <summary>Runs <paramref name="action"/> on the member's worker view if it is still in the room.</summary>
    internal void RunOnMember(ConferenceMember member, Action<ConferenceCore.Member> action) =>
        RunHere(_ =>
        {
            if (member.Core is { Present: true } core)
                action(core);
        });

    internal Task RemoveAsync(ConferenceMember member)
    {
        // Run where the leg is: if it has moved off the room's worker it has already left.
        MediaEngine.RunOnOwner(member.Endpoint.Leg, worker =>
        {
            if (worker == _worker && member.Core is { } core)
                Core.Remove(core.Leg);
            member.OnLeft();
        }, member.OnLeft);
        return member.Gone;
    }

    /// <summary>The member is out: no longer listed.</summary>
    internal void Forget(ConferenceMember member)
    {
        lock (_gate)
        {
            if (_members.TryGetValue(member.Endpoint, out var listed) && listed == member)
                _members.Remove(member.Endpoint);
        }
    }

    /// <summary>Worker thread, the endpoint's leg here: the member goes into the mix with its role and mute as last asked.</summary>
    private void Join(ConferenceMember member)
    {
        var leg = member.Endpoint.Leg;
        var core = leg.IsClosed || member.HasLeft ? null : Core.Add(leg, member, member.Role, member.HeardOnlyBy?.Core);
        if (core is null || core.Handle != member)
        {
            member.OnLeft();
            return;
        }
        member.Core = core;
        core.Participant.Muted = member.Muted;
    }

    private async Task<bool> AwaitPrompt(ConferencePrompt playing, CancellationToken ct)
    {
        await using var stop = ct.Register(() => RunHere(_ => Core.StopPrompt(playing)));
        bool played = await playing.Done.ConfigureAwait(false);
        if (!played)
            ct.ThrowIfCancellationRequested();
        return played;
    }

    private async Task Close()
    {
        var closed = new TaskCompletionSource<WavRecorder?>(TaskCreationOptions.RunContinuationsAsynchronously);
        RunHere(worker =>
        {
            var recorder = Core.Close();
            worker.RemoveAttachment(Core);
            closed.TrySetResult(recorder);
        });
        var recorder = await closed.Task.ConfigureAwait(false);
        if (recorder is not null)
            await recorder.StopAsync().ConfigureAwait(false);
        ConferenceMember[] remaining;
        lock (_gate)
        {
            _recordingPath = null;
            remaining = [.. _members.Values];
        }
        foreach (var member in remaining)
            member.OnLeft();
        _engine.Forget(this);
    }
}
