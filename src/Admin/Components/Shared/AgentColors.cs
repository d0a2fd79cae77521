using Hotline.Ivr.ContactCentre.Engine;
using MudBlazor;

namespace Hotline.Admin.Components.Shared;

/// <summary>One colour per agent state, the same on every contact-centre page: free green, busy blue, wrap-up amber, paused red.</summary>
public static class AgentColors
{
    public static Color Of(AgentState state) => state switch
    {
        AgentState.Available => Color.Success,
        AgentState.Ringing or AgentState.OnCall => Color.Info,
        AgentState.WrapUp => Color.Warning,
        AgentState.Paused => Color.Error,
        _ => Color.Default,
    };
}
