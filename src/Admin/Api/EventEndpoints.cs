using System.Text.Json;
using System.Threading.Channels;
using Hotline.Admin.ContactCentre;
using Hotline.Admin.Security;
using Hotline.Ivr.ContactCentre;
using Hotline.Switch.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Hotline.Admin.Api;

/// <summary>
/// GET /api/events: a Server-Sent Events stream (HTML Living Standard §9.2) for wallboards and integrations.
/// It opens with a "snapshot" of the contact centre; then every contact-centre event as it happens (call.queued,
/// call.offered, call.left, call.ended, call.overflowed, agent.state, conference.*, supervisor.*, clicktodial.* …,
/// each with its sequence as the SSE id), "calls" when the switch's live calls change, and a fresh "snapshot"
/// within a second of any contact-centre change and every five seconds regardless (which also keeps proxies from
/// closing an idle stream). <c>?types=agent.,snapshot</c> keeps only events whose type starts with one of the prefixes.
/// A reconnecting client gets a new snapshot rather than a replay: events are not kept.
/// </summary>
internal static class EventEndpoints
{
    private static readonly TimeSpan s_tick = TimeSpan.FromSeconds(1);
    private const int SnapshotEveryTicks = 5;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events", StreamAsync).RequireAuthorization(Policies.Monitor).WithTags("Live events")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .WithSummary("Server-Sent Events: contact-centre events (call, agent, queue), live-call changes and snapshots, for wallboards");
    }

    private static async Task StreamAsync(HttpContext http, string? types, ContactCentreHost contactCentre, AcdOperations operations, ISwitchStatus status,
        IHostApplicationLifetime lifetime, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        var prefixes = (types ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        bool Wanted(string type) => prefixes.Length == 0 || prefixes.Any(p => type.StartsWith(p, StringComparison.Ordinal));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var ct = stop.Token;
        http.Response.ContentType = "text/event-stream; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // One writer to the response: everything goes through this channel (a slow client loses the oldest, never blocks the switch).
        var outbox = Channel.CreateBounded<string>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        var dirty = 1;
        using var subscription = contactCentre.Events.Subscribe();
        void OnCalls(IReadOnlyList<LiveCallView> calls)
        {
            if (Wanted("calls")) outbox.Writer.TryWrite(Message("calls", JsonSerializer.Serialize(calls, json.Value.SerializerOptions)));
        }
        status.CallsChanged += OnCalls;
        var pump = Task.Run(async () =>
        {
            await foreach (var e in subscription.Reader.ReadAllAsync(ct))
            {
                Volatile.Write(ref dirty, 1);
                if (Wanted(e.Type)) outbox.Writer.TryWrite(e.ToServerSentEvent());
            }
        }, ct);
        var ticker = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(s_tick);
            var ticks = 0;
            do
            {
                if (Interlocked.Exchange(ref dirty, 0) == 1 || ++ticks >= SnapshotEveryTicks)
                {
                    ticks = 0;
                    var snapshot = await operations.SnapshotAsync();
                    if (Wanted("snapshot")) outbox.Writer.TryWrite(Message("snapshot", JsonSerializer.Serialize(snapshot, json.Value.SerializerOptions)));
                    else outbox.Writer.TryWrite(": keep-alive\n\n");
                }
            }
            while (await timer.WaitForNextTickAsync(ct));
        }, ct);
        try
        {
            await http.Response.WriteAsync("retry: 3000\n\n", ct);
            await foreach (var message in outbox.Reader.ReadAllAsync(ct))
            {
                await http.Response.WriteAsync(message, ct);
                await http.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away or the switch is stopping.
        }
        finally
        {
            status.CallsChanged -= OnCalls;
            await stop.CancelAsync();
            await Task.WhenAll(pump, ticker).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static string Message(string type, string data) => $"event: {type}\ndata: {data}\n\n";
}
