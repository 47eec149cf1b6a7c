using CityArray.Grains.Interfaces.Templates;

namespace CityArray.Grains.Templates;

/// <summary>The 17 templates of the contract, created once when the catalog is first used.</summary>
public static class DefaultTemplates
{
    private static readonly (string Id, string Name, string Category, string Text, string TextEs)[] All =
    [
        ("emergency-evacuation", "Emergency evacuation", "emergency",
            "EMERGENCY: Evacuate now via {exit}. Follow staff instructions.",
            "EMERGENCIA: Evacúe ahora por {exit}. Siga las instrucciones del personal."),
        ("emergency-shelter-in-place", "Shelter in place", "emergency",
            "EMERGENCY: Shelter in place at {location}. Stay away from windows and wait for instructions.",
            "EMERGENCIA: Refúgiese en {location}. Aléjese de las ventanas y espere instrucciones."),
        ("emergency-medical", "Medical emergency", "emergency",
            "Medical emergency at {location}. Please make way for medical staff.",
            "Emergencia médica en {location}. Por favor, abra paso al personal médico."),
        ("weather-current-conditions", "Current conditions", "weather",
            "Weather now: {conditions}, {temperature}°C.",
            "Clima actual: {conditions}, {temperature}°C."),
        ("weather-lightning-warning", "Lightning warning", "weather",
            "Lightning within {distance_km} km. Move indoors or to a vehicle now.",
            "Rayos a menos de {distance_km} km. Busque refugio en un edificio o vehículo ahora."),
        ("weather-heat-advisory", "Heat advisory", "weather",
            "Heat advisory: {temperature}°C. Drink water and rest in the shade. Water at {location}.",
            "Alerta de calor: {temperature}°C. Beba agua y descanse a la sombra. Agua en {location}."),
        ("schedule-now-playing", "Now playing", "schedule",
            "Now playing on {stage}: {artist}",
            "Ahora en {stage}: {artist}"),
        ("schedule-starting-soon", "Starting soon", "schedule",
            "{artist} starts in {minutes} minutes on {stage}",
            "{artist} comienza en {minutes} minutos en {stage}"),
        ("traffic-update", "Traffic update", "traffic",
            "Traffic: {road} is {status}. Expect delays of {delay_minutes} minutes.",
            "Tráfico: {road} está {status}. Espere demoras de {delay_minutes} minutos."),
        ("traffic-parking-status", "Parking status", "traffic",
            "Parking {lot}: {spaces} spaces available.",
            "Parqueadero {lot}: {spaces} espacios disponibles."),
        ("wayfinding-restrooms", "Restrooms", "wayfinding",
            "Restrooms: {direction}, {distance_m} m.",
            "Baños: {direction}, a {distance_m} m."),
        ("wayfinding-first-aid", "First aid", "wayfinding",
            "First aid: {direction}, {distance_m} m.",
            "Primeros auxilios: {direction}, a {distance_m} m."),
        ("crowd-alert", "Crowd alert", "crowd",
            "{area} is very crowded. Please use {alternative}.",
            "{area} está muy concurrido. Por favor use {alternative}."),
        ("attendee-lost-person", "Lost person", "attendee",
            "Looking for {name}: {description}. Please go to {meeting_point}.",
            "Buscamos a {name}: {description}. Por favor acérquese a {meeting_point}."),
        ("attendee-found-item", "Found item", "attendee",
            "Found: {item}. Claim it at {location}.",
            "Objeto encontrado: {item}. Reclámelo en {location}."),
        ("attendee-meetup-point", "Meetup point", "attendee",
            "{group}: meet at {location} at {time}.",
            "{group}: encuentro en {location} a las {time}."),
        ("sponsor-message", "Sponsor message", "sponsor",
            "{sponsor}: {message}",
            "{sponsor}: {message}"),
    ];

    /// <summary>Fresh copies of the defaults, stamped with <paramref name="now"/>.</summary>
    public static IEnumerable<MessageTemplate> Create(DateTimeOffset now) =>
        All.Select(t => new MessageTemplate(t.Id, t.Name, t.Category, t.Text, t.TextEs, now));
}
