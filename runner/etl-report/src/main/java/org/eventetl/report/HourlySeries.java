package org.eventetl.report;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * {@code hourly_activity} laid out for a chart: the hours on the axis (every hour of the partition's
 * day, and any hour outside it that has events) and, per country, its events and devices in each.
 */
public record HourlySeries(List<String> labels, List<Country> countries, long eventsWithoutTime, long eventsWithoutCountry)
{
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:00");
    private static final DateTimeFormatter DAY_AND_HOUR = DateTimeFormatter.ofPattern("MM-dd HH:00");

    /** One country's line: a value for every label, zero where it had no events. */
    public record Country(String code, long[] events, long[] devices)
    {
        public Country
        {
            requireNonNull(code, "code is null");
            requireNonNull(events, "events is null");
            requireNonNull(devices, "devices is null");
        }
    }

    public HourlySeries
    {
        labels = List.copyOf(requireNonNull(labels, "labels is null"));
        countries = List.copyOf(requireNonNull(countries, "countries is null"));
    }

    public static HourlySeries of(List<HourlyActivity> rows, LocalDate day)
    {
        TreeSet<LocalDateTime> hours = new TreeSet<>();
        for (int hour = 0; hour < 24; hour++) {
            hours.add(day.atTime(hour, 0));
        }
        rows.forEach(row -> row.hour().ifPresent(hours::add));
        List<LocalDateTime> axis = new ArrayList<>(hours);
        boolean oneDay = axis.stream().allMatch(hour -> hour.toLocalDate().equals(day));
        List<String> labels = axis.stream().map(hour -> (oneDay ? HOUR : DAY_AND_HOUR).format(hour)).toList();

        Map<String, long[][]> countries = new LinkedHashMap<>();
        long withoutTime = 0;
        long withoutCountry = 0;
        for (HourlyActivity row : rows) {
            if (row.country().isEmpty()) {
                withoutCountry += row.events();
                continue;
            }
            if (row.hour().isEmpty()) {
                withoutTime += row.events();
                continue;
            }
            long[][] values = countries.computeIfAbsent(row.country().get(), ignored -> new long[][] {new long[axis.size()], new long[axis.size()]});
            int index = axis.indexOf(row.hour().get());
            values[0][index] += row.events();
            values[1][index] += row.devices();
        }
        List<Country> series = new ArrayList<>();
        countries.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(entry -> series.add(new Country(entry.getKey(), entry.getValue()[0], entry.getValue()[1])));
        return new HourlySeries(labels, series, withoutTime, withoutCountry);
    }

    public boolean isEmpty()
    {
        return countries.isEmpty();
    }

    public Optional<Country> country(String code)
    {
        return countries.stream().filter(country -> country.code().equals(code)).findFirst();
    }
}
