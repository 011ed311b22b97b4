namespace Cashout.Domain;
internal static class Placeholder;
