using CityArray.Grains.Timers;
using System.Globalization;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Weather;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CityArray.Grains.Weather;

/// <summary>
/// The venue's weather (see <see cref="IWeatherGrain"/>). Polls every <see cref="WeatherOptions.PollInterval"/> on a
/// grain timer; a five-minute reminder re-activates it (and so the timer) after a restart. An incident is recorded
/// (with its override id) before the override is raised, so a retry raises the same override, never a second one.
/// It ends (its override cancelled) only after <see cref="WeatherOptions.ClearPolls"/> consecutive clear polls, where
/// a heat incident counts as clear only below the threshold minus <see cref="WeatherOptions.HeatClearMarginC"/>: a value
/// flapping around a threshold keeps one incident instead of starting many. A failed poll changes nothing but
/// <c>last_error</c>: an outage neither starts nor ends an incident (nor counts as clear).
/// </summary>
public sealed class WeatherGrain(
    [PersistentState("weather", StorageNames.Grains)] IPersistentState<WeatherState> state,
    OpenWeatherClient openWeather,
    IOptions<WeatherOptions> options,
    CityArrayClock clock,
    ILogger<WeatherGrain> logger) : Grain, IWeatherGrain, IRemindable
{
    private const string PollReminder = "weather-poll";
    private const int MaxHistory = 20;
    private IGrainTimer? _timer;
    private bool _overrideRaised;

    private WeatherState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled) return;
        await ReminderBackstop.RegisterAsync(this, PollReminder, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1));
        _timer = this.RegisterGrainTimer(_ => PollAsync(), new GrainTimerCreationOptions(TimeSpan.Zero, options.Value.PollInterval)
        {
            Interleave = false,
            KeepAlive = true,
        });
    }

    public Task<WeatherReport> GetAsync() => Task.FromResult(new WeatherReport(
        S.Current, S.Alerts, S.PolledAt, S.LastError, S.Incident, S.History, Variables(S.Current)));

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask; // activation restarted the timer

    /// <summary>Values the weather templates can be filled with (<c>{conditions}</c>, <c>{temperature}</c>, ...).</summary>
    public static IReadOnlyDictionary<string, string> Variables(WeatherConditions? current) => current is null
        ? new Dictionary<string, string>()
        : new Dictionary<string, string>
        {
            ["conditions"] = current.Description,
            ["temperature"] = current.TemperatureC.ToString("0.#", CultureInfo.InvariantCulture),
            ["humidity"] = current.HumidityPercent.ToString("0", CultureInfo.InvariantCulture),
            ["heat_index"] = current.HeatIndexC.ToString("0.#", CultureInfo.InvariantCulture),
            ["wind_speed"] = current.WindSpeedMs.ToString("0.#", CultureInfo.InvariantCulture),
        };

    /// <summary>What trips now: <c>thunderstorm</c>, <c>lightning_alert</c>, <c>heat_index</c>.</summary>
    public static IReadOnlyList<string> Reasons(WeatherConditions current, IEnumerable<WeatherAlert> alerts, double heatThresholdC, DateTimeOffset now)
    {
        var reasons = new List<string>();
        if (current.IsThunderstorm) reasons.Add("thunderstorm");
        if (alerts.Any(a => a.IsLightning && a.End > now)) reasons.Add("lightning_alert");
        if (current.HeatIndexC >= heatThresholdC) reasons.Add("heat_index");
        return reasons;
    }

    private async Task PollAsync()
    {
        WeatherConditions current;
        IReadOnlyList<WeatherAlert> alerts;
        try
        {
            current = await openWeather.GetCurrentAsync();
            alerts = await openWeather.GetAlertsAsync();
        }
        catch (Exception e)
        {
            logger.LogWarning("OpenWeather poll failed: {Error}", e.Message);
            S.LastError = e.Message.Length > 300 ? e.Message[..300] : e.Message;
            await state.WriteStateAsync();
            return;
        }
        var now = clock.GetUtcNow();
        S.Current = current;
        S.Alerts = alerts.ToList();
        S.PolledAt = now;
        S.LastError = null;
        var o = options.Value;

        if (S.Incident is null)
        {
            S.ClearPolls = 0;
            var reasons = Reasons(current, alerts, o.HeatIndexThresholdC, now);
            if (reasons.Count > 0)
            {
                S.Incident = new WeatherIncident($"weather-{Guid.NewGuid():N}", reasons, now, null);
                _overrideRaised = false;
                logger.LogInformation("Weather incident {OverrideId}: {Reasons}", S.Incident.OverrideId, string.Join(", ", reasons));
            }
        }
        else if (Reasons(current, alerts, o.HeatIndexThresholdC - o.HeatClearMarginC, now).Count > 0)
        {
            S.ClearPolls = 0; // still on (a heat index inside the clear margin holds the incident)
        }
        else if (++S.ClearPolls >= o.ClearPolls)
        {
            var ended = S.Incident;
            // Cancel first (idempotent): a crash before the write below cancels again on the next poll.
            await GrainFactory.GetGrain<IOverrideGrain>(ended.OverrideId).CancelAsync();
            S.History.Insert(0, ended with { EndedAt = now });
            if (S.History.Count > MaxHistory) S.History.RemoveRange(MaxHistory, S.History.Count - MaxHistory);
            S.Incident = null;
            S.ClearPolls = 0;
            logger.LogInformation("Weather incident {OverrideId} ended", ended.OverrideId);
        }
        await state.WriteStateAsync(); // record the incident first, then raise its override

        if (S.Incident is { } incident && !_overrideRaised)
        {
            // Idempotent per override id: also re-applied once after a restart, never a second override.
            await GrainFactory.GetGrain<IOverrideGrain>(incident.OverrideId).ActivateAsync(Override(incident, current, now), new OverrideTarget(null, null, true, null));
            _overrideRaised = true;
        }
    }

    private static SignOverride Override(WeatherIncident incident, WeatherConditions current, DateTimeOffset now)
    {
        var t = current.TemperatureC.ToString("0.#", CultureInfo.InvariantCulture);
        var hi = current.HeatIndexC.ToString("0.#", CultureInfo.InvariantCulture);
        var text = incident.Reasons.Contains("thunderstorm") || incident.Reasons.Contains("lightning_alert")
            ? "Lightning nearby: move indoors or to a vehicle now. / Rayos cerca: busque refugio en un edificio o vehículo ahora."
            : $"Heat advisory: {t}°C, feels like {hi}°C. Drink water and rest in the shade. / Alerta de calor: {t}°C, sensación {hi}°C. Beba agua y descanse a la sombra.";
        return new SignOverride(incident.OverrideId, text, null, "severe", "immediate", "weather",
            "Weather warning / Alerta meteorológica", null, null, now);
    }
}
