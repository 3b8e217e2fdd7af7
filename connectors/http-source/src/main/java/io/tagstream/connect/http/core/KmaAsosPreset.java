package io.tagstream.connect.http.core;

import java.util.List;
import java.util.Map;

/**
 * The Korea Meteorological Administration's ASOS hourly observations, {@code getWthrDataList}
 * (AsosHourlyInfoService). The service answers JSON when asked with dataType=JSON: {@code response.header.resultCode}
 * "00" is data, "03" (NODATA_ERROR) an empty range; rows in {@code response.body.items.item[]}, all values
 * strings, an empty string for "not observed"; {@code tm} is local time (KST) "yyyy-MM-dd HH:mm". Requests are
 * per station (stnIds), at most 999 rows per page.
 */
public final class KmaAsosPreset {

    public static final String NAME = "kma-asos-hourly";

    /** The request, appended to the configured base URL; the service key is added by the query auth. */
    public static final String PATH = "/getWthrDataList?pageNo={page}&numOfRows={pageSize}&dataType=JSON&dataCd=ASOS"
            + "&dateCd=HR&startDt={from:yyyyMMdd}&startHh={from:HH}&endDt={to:yyyyMMdd}&endHh={to:HH}&stnIds={stream}";

    /** Observed elements → tags with units (KMA's own units; ss is hours of sunshine, icsr MJ/m2, dc10Tca tenths). */
    public static final List<String> TAGS = List.of(
            "ta:air_temp:degC",
            "hm:rel_humidity:%",
            "ws:wind_speed:m/s",
            "wd:wind_dir:deg",
            "rn:precipitation:mm",
            "pa:pressure_station:hPa",
            "ps:pressure_sea:hPa",
            "ss:sunshine:h",
            "icsr:solar_radiation:MJ/m2",
            "dc10Tca:cloud_cover:1/10");

    private KmaAsosPreset() {
    }

    /** Defaults the preset gives to generic options (keys of HttpSourceConfig); explicit settings win. */
    public static Map<String, String> defaults() {
        return Map.ofEntries(
                Map.entry("response.format", "json"),
                Map.entry("records.pointer", "/response/body/items/item"),
                Map.entry("result.code.pointer", "/response/header/resultCode"),
                Map.entry("result.message.pointer", "/response/header/resultMsg"),
                Map.entry("result.code.ok", "00"),
                Map.entry("result.code.empty", "03"),
                Map.entry("total.count.pointer", "/response/body/totalCount"),
                Map.entry("paging", "page"),
                Map.entry("page.first", "1"),
                Map.entry("page.size", "999"),
                Map.entry("auth.mode", "query"),
                Map.entry("auth.param", "serviceKey"),
                Map.entry("time.field", "tm"),
                Map.entry("time.format", "yyyy-MM-dd HH:mm"),
                Map.entry("time.zone", "Asia/Seoul"),
                Map.entry("time.step.ms", "3600000"),
                Map.entry("slice.ms", Long.toString(24L * 3600_000)),
                // the service documents data "up to the previous day"; a window is only closed once its
                // data can exist, so the preset stays a day behind (a live simulator may set 0)
                Map.entry("availability.lag.ms", Long.toString(24L * 3600_000)),
                Map.entry("device.field", "stnId"),
                Map.entry("tags", String.join(",", TAGS)));
    }
}
