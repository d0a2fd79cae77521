using Hotline.Switch.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotline.Switch.Tests.Core;

public class SerialExecutorTests
{
    private static readonly SemaphoreSlim s_ran = new(0);

    [Fact]
    public void Runs_posted_work_in_order_one_at_a_time()
    {
        var executor = new SerialExecutor(NullLogger.Instance);
        var seen = new List<int>();
        int running = 0, overlapped = 0;
        using var done = new CountdownEvent(200);
        for (int i = 0; i < 200; i++)
        {
            int n = i;
            executor.Post(() =>
            {
                if (Interlocked.Increment(ref running) > 1) Interlocked.Increment(ref overlapped);
                seen.Add(n);
                Interlocked.Decrement(ref running);
                done.Signal();
            });
        }
        Assert.True(done.Wait(TimeSpan.FromSeconds(10)));
        Assert.Equal(Enumerable.Range(0, 200), seen);
        Assert.Equal(0, overlapped);
    }

    [Fact]
    public void Posting_to_an_idle_executor_allocates_nothing_beyond_the_work()
    {
        // Every call event starts a drain on the thread pool; the executor queues itself, not a wrapper.
        var executor = new SerialExecutor(NullLogger.Instance);
        Action work = static () => s_ran.Release();
        for (int i = 0; i < 100; i++)
        {
            executor.Post(work);
            Assert.True(s_ran.Wait(TimeSpan.FromSeconds(10)));
        }
        long allocated = 0;
        for (int i = 0; i < 100; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            executor.Post(work);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(s_ran.Wait(TimeSpan.FromSeconds(10)));
        }
        Assert.Equal(0, allocated);
    }
}
