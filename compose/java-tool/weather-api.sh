#!/bin/bash
# The weather API simulator with the service key from the environment. It writes the properties file
# the HTTP source connector reads through Connect's file config provider (kma-asos-demo.json:
# ${file:<home>/weather-api/weather-api.properties:baseUrl|serviceKey}); the file lives on a volume
# shared with the Connect container, whose network namespace this simulator shares.
set -euo pipefail
dir=/var/lib/tagstream/weather-api
umask 022  # read by the Connect worker (another uid); the volume is private to the two containers
{
  echo "serviceKey=${WEATHER_API_SERVICE_KEY:?WEATHER_API_SERVICE_KEY is not set}"
  echo "baseUrl=http://127.0.0.1:18094/1360000/AsosHourlyInfoService"
} > "$dir/weather-api.properties.tmp"
mv "$dir/weather-api.properties.tmp" "$dir/weather-api.properties"
exec java -Xmx64m -cp "/opt/tagstream/*:/opt/tagstream/lib/*" io.tagstream.simulator.weather.WeatherApiSimulator \
  --port 18094 --secrets "$dir/weather-api.properties" --stations 108,112,159 --too-many-every 25
