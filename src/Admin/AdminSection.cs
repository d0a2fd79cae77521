namespace Hotline.Admin;

/// <summary>
/// A page in the panel's navigation. Sections are registered in DI (<see cref="AdminHosting.AddAdminSection"/>),
/// so a feature that lands later (IVR flows, queues, voicemail …) adds its page without touching the menu.
/// </summary>
/// <param name="Path">The page's route, e.g. "/extensions".</param>
/// <param name="TitleKey">Key of its title in <see cref="Localization.Texts"/>.</param>
/// <param name="Icon">A Material icon (MudBlazor's Icons.Material.*).</param>
/// <param name="Policy">The authorization policy that admits the page.</param>
/// <param name="Group">Menu group key: "Monitor", "ContactCentre", "Ivr", "Configure", "Records", "System".</param>
/// <param name="Order">Position in its group.</param>
public sealed record AdminSection(string Path, string TitleKey, string Icon, string Policy, string Group, int Order);
