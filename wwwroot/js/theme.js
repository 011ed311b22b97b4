// Remembers the person's theme for the server's next render (ThemePreference.cs reads these cookies).
const year = 60 * 60 * 24 * 365;

export function remember(name, value) {
    document.cookie = `${name}=${encodeURIComponent(value)}; path=/; max-age=${year}; samesite=lax${location.protocol === "https:" ? "; secure" : ""}`;
}
