using Twilio.TwiML;

namespace CityArray.Gateway.Sms;

/// <summary>The texts an inbound SMS gets back (English and Spanish), as TwiML.</summary>
public static class SmsReplies
{
    public const string Help = "CityArray: JOIN or JOIN <zone> for alerts, STOP to stop, any other text goes to the signs after review. / " +
                               "JOIN o JOIN <zona> para alertas, STOP para no recibir más, cualquier otro texto va a las pantallas tras revisión.";

    public static string Joined(string? zone) => zone is null
        ? "CityArray: you will get every alert. Text STOP to stop. / Recibirás todas las alertas. Envía STOP para dejar de recibirlas."
        : $"CityArray: you will get alerts for {zone}. Text STOP to stop. / Recibirás alertas de {zone}. Envía STOP para dejar de recibirlas.";

    public const string Stopped = "CityArray: you will get no more messages. Text START to come back. / No recibirás más mensajes. Envía START para volver.";

    public const string Started = "CityArray: alerts are back on. Text STOP to stop. / Las alertas vuelven a llegarte. Envía STOP para detenerlas.";

    public const string Received = "CityArray: thanks, your message will be reviewed. / Gracias, tu mensaje será revisado.";

    public const string TooMany = "CityArray: too many messages, try again later. / Demasiados mensajes, inténtalo más tarde.";

    public static string Refused(string reason) => $"CityArray: not accepted ({reason}). / No aceptado.";

    /// <summary>A TwiML reply with one message, or an empty response for none (Twilio then sends nothing).</summary>
    public static IResult TwiML(string? text)
    {
        var response = new MessagingResponse();
        if (text is not null) response.Message(text);
        return Results.Text(response.ToString(), "application/xml");
    }
}
