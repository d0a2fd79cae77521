using Hotline.Ivr.Voicemail;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;

namespace Hotline.Ivr.Destinations;

/// <summary>
/// Voicemail by phone. With <see cref="OwnMailbox"/> (e.g. *97) the caller's own extension is the mailbox; otherwise
/// (e.g. *98) the mailbox is keyed in, or dialled after the code (*981001). A PIN is always asked.
/// </summary>
public sealed class VoicemailFeature(VoicemailCalls voicemail, string code, bool ownMailbox) : ICallDestination
{
    public bool OwnMailbox => ownMailbox;

    public Task RunAsync(ICallChannel call, RouteTarget target)
    {
        var rest = target.Value.Length > code.Length ? target.Value[code.Length..] : null;
        var mailbox = ownMailbox ? call.CallerExtension ?? rest : rest;
        return voicemail.RetrieveAsync(call, mailbox, call.Ended);
    }
}
