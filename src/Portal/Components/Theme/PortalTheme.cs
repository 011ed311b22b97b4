using MudBlazor;

namespace Cashout.Portal.Components.Theme;

/// <summary>The portal's brand on MudBlazor: indigo primary, readable (WCAG AA) text on every surface, light and dark.</summary>
public static class PortalTheme
{
    public static readonly MudTheme Brand = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#4338ca",
            PrimaryDarken = "#3730a3",
            Secondary = "#0f766e",
            Tertiary = "#7c3aed",
            Success = "#166534",
            Warning = "#92400e",
            Error = "#b91c1c",
            Info = "#1d4ed8",
            AppbarBackground = "#ffffff",
            AppbarText = "#1e1b4b",
            Background = "#f6f7fb",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            DrawerText = "#1f2937",
            DrawerIcon = "#4b5563",
            TextPrimary = "#111827",
            TextSecondary = "#4b5563",
            ActionDefault = "#4b5563",
            LinesDefault = "#e5e7eb",
            TableLines = "#e5e7eb",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#a5b4fc",
            PrimaryContrastText = "#111827",
            Secondary = "#5eead4",
            SecondaryContrastText = "#111827",
            Tertiary = "#c4b5fd",
            Success = "#86efac",
            SuccessContrastText = "#052e16",
            Warning = "#fcd34d",
            WarningContrastText = "#451a03",
            Error = "#fca5a5",
            ErrorContrastText = "#450a0a",
            Info = "#93c5fd",
            InfoContrastText = "#172554",
            AppbarBackground = "#161a2b",
            AppbarText = "#e5e7eb",
            Background = "#0f1220",
            Surface = "#1b2033",
            DrawerBackground = "#161a2b",
            DrawerText = "#e5e7eb",
            DrawerIcon = "#c7cbe0",
            TextPrimary = "#f3f4f6",
            TextSecondary = "#c7cbe0",
            ActionDefault = "#c7cbe0",
            LinesDefault = "#2f3650",
            TableLines = "#2f3650",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
