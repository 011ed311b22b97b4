using System.Text.Json;
using System.Text.Json.Serialization;
using Cashout.Domain.Monetary;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Cashout.Portal.Common;

/// <summary>JSON settings for what the portal stores (e.g. a cashout's quote): currencies as ISO codes.</summary>
public static class PortalJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new CurrencyJsonConverter(), new JsonStringEnumConverter() },
    };

    private sealed class CurrencyJsonConverter : JsonConverter<Currency>
    {
        public override Currency Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Currency.TryParse(reader.GetString(), out var currency) ? currency : throw new JsonException($"Unsupported currency '{reader.GetString()}'.");

        public override void Write(Utf8JsonWriter writer, Currency value, JsonSerializerOptions options) => writer.WriteStringValue(value.Code);
    }
}

/// <summary>Stores a <see cref="Currency"/> as its ISO code.</summary>
public sealed class CurrencyConverter() : ValueConverter<Currency, string>(currency => currency.Code, code => Currency.Parse(code))
{
    public static CurrencyConverter Instance { get; } = new();
}
