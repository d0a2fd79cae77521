namespace Hotline.Switch.Calls;

/// <summary>
/// What call flows need beyond bridging: prompts whose end can be awaited, and recording one party
/// alone (voicemail, prompts recorded by phone). Media legs implement it alongside <see cref="IMediaLeg"/>.
/// </summary>
public interface IMediaLegPlayback
{
    /// <summary>Plays prompt files in order instead of the bridged audio; true when all played, false when stopped or cancelled first.</summary>
    Task<bool> PlayPromptsAsync(IReadOnlyList<string> paths, CancellationToken ct);

    /// <summary>Starts writing what the peer says to a mono WAV at <paramref name="path"/>.</summary>
    IPeerRecording RecordPeer(string path);
}

/// <summary>A recording of one party in progress.</summary>
public interface IPeerRecording : IAsyncDisposable
{
    TimeSpan Duration { get; }

    /// <summary>How long the peer has been silent without a break (energy under the talk threshold).</summary>
    TimeSpan SilentFor { get; }

    /// <summary>Finishes the file (header finalised) and returns the recorded length.</summary>
    Task<TimeSpan> StopAsync();
}
