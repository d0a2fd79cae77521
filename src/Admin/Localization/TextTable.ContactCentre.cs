namespace Hotline.Admin.Localization;

internal static partial class TextTable
{
    /// <summary>The contact-centre pages: queues and agents, conference rooms, the live monitor, supervision.</summary>
    private static Dictionary<string, (string Zh, string En)> ContactCentre => new(StringComparer.Ordinal)
    {
        ["Group.ContactCentre"] = ("呼叫中心", "Contact centre"),
        ["AcdLive"] = ("队列与座席监控", "Queue and agent monitor"),
        ["QueuesAndAgents"] = ("队列与座席", "Queues and agents"),
        ["Conferences"] = ("会议室", "Conference rooms"),
    };
}
