using Hotline.Media.Engine;

namespace Hotline.Switch.Calls;

public sealed partial class EngineCallMedia
{
    /// <summary>Prompt sequences with completion, and recording of the peer, for call flows.</summary>
    private sealed partial class Leg
    {
        public async Task<bool> PlayPromptsAsync(IReadOnlyList<string> paths, CancellationToken ct)
        {
            foreach (var path in paths)
            {
                ct.ThrowIfCancellationRequested();
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                void OnCompleted(MediaEndpoint _) => done.TrySetResult();
                Endpoint.PlaybackCompleted += OnCompleted;
                try
                {
                    Endpoint.PlayPrompt(path);
                    await done.Task.WaitAsync(ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Endpoint.StopPlayback();
                    throw;
                }
                finally
                {
                    Endpoint.PlaybackCompleted -= OnCompleted;
                }
            }
            return true;
        }

        public IPeerRecording RecordPeer(string path) => new Recording(Endpoint.RecordPeer(path));

        private sealed class Recording(PeerRecording inner) : IPeerRecording
        {
            public TimeSpan Duration => inner.Duration;
            public TimeSpan SilentFor => inner.SilentFor;
            public Task<TimeSpan> StopAsync() => inner.StopAsync();
            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }
}
