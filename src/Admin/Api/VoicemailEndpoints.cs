using Hotline.Admin.Ivr;
using Hotline.Admin.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hotline.Admin.Api;

/// <summary>Mailboxes (admin) and their messages (supervisors: listen, download, mark read, delete).</summary>
internal static class VoicemailEndpoints
{
    public sealed record ReadState(bool Read = true);

    public static void Map(IEndpointRouteBuilder app)
    {
        var boxes = app.MapGroup("/api/mailboxes").RequireAuthorization(Policies.Supervise).WithTags("Voicemail");
        boxes.MapGet("", (VoicemailAdmin s) => Results.Ok(s.Mailboxes())).WithSummary("Mailboxes with new and old message counts (never PINs)");
        boxes.MapGet("/{id}", (string id, VoicemailAdmin s) => s.Mailbox(id) is { } m ? Results.Ok(m) : Results.NotFound()).WithSummary("One mailbox");
        boxes.MapPost("", (HttpContext http, MailboxInput input, VoicemailAdmin s) =>
            s.Save(input, null, http.ActorOf()).ToResult(m => Results.Created($"/api/mailboxes/{m.Id}", m)))
            .RequireAuthorization(Policies.Admin).WithSummary("Create a mailbox (a PIN of 4 to 12 digits is required)");
        boxes.MapPut("/{id}", (HttpContext http, string id, MailboxInput input, VoicemailAdmin s) => s.Save(input, id, http.ActorOf()).ToResult())
            .RequireAuthorization(Policies.Admin).WithSummary("Change a mailbox (an empty PIN keeps the current one)");
        boxes.MapDelete("/{id}", (HttpContext http, string id, VoicemailAdmin s) => s.Delete(id, http.ActorOf()).ToResult(_ => Results.NoContent()))
            .RequireAuthorization(Policies.Admin).WithSummary("Delete a mailbox with its messages");

        boxes.MapGet("/{id}/messages", (string id, VoicemailAdmin s) => s.Messages(id) is { } list ? Results.Ok(list) : Results.NotFound())
            .WithSummary("The mailbox's messages, newest first");
        boxes.MapGet("/{id}/messages/{message}/audio", (string id, string message, bool? download, VoicemailAdmin s) => s.AudioPath(id, message) is { } path
                ? Results.File(path, "audio/wav", download == true ? Path.GetFileName(path) : null, enableRangeProcessing: true)
                : Results.NotFound())
            .WithSummary("The message's WAV, for playback (range requests) or download=true");
        boxes.MapPost("/{id}/messages/{message}/read", (HttpContext http, string id, string message, ReadState? body, VoicemailAdmin s) =>
            s.MarkRead(id, message, body?.Read ?? true, http.ActorOf()).ToResult())
            .WithSummary("Mark a message heard (read=false: new again); the phones' message-waiting lamp follows");
        boxes.MapDelete("/{id}/messages/{message}", (HttpContext http, string id, string message, VoicemailAdmin s) =>
            s.DeleteMessage(id, message, http.ActorOf()).ToResult(_ => Results.NoContent())).WithSummary("Delete a message and its recording");
    }
}
