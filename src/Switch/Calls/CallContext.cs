using Hotline.Switch.Cdrs;
using Hotline.Switch.Core;
using Hotline.Switch.Dialogs;
using Hotline.Switch.Registrar;
using Hotline.Switch.Routing;
using Hotline.Switch.Transactions;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Calls;

/// <summary>The services every call uses.</summary>
public sealed class CallContext
{
    public required TransactionLayer Transactions { get; init; }
    public required SwitchCore Core { get; init; }
    public required LocalContact Local { get; init; }
    public required ICallMedia Media { get; init; }
    public required BindingTable Bindings { get; init; }
    public required ICallRouter Router { get; init; }
    public ITrunks? Trunks { get; init; }
    public required ICdrStore Cdrs { get; init; }
    public required CallOptions Options { get; init; }
    public required TimeProvider Time { get; init; }
    public required ILoggerFactory Loggers { get; init; }
    /// <summary>Absolute folder under which recordings are filed.</summary>
    public required string RecordingsRoot { get; init; }
    /// <summary>The domain written in URIs we make up (From of calls to phones, AORs).</summary>
    public required string Domain { get; init; }
    /// <summary>Whether a registered contact still answers (qualify); calls skip those that don't.</summary>
    public Func<Registrar.Binding, bool> IsReachable { get; init; } = _ => true;
    public SipTimers Timers => Transactions.Timers;
}
