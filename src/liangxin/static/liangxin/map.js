/* The public convenience map: Leaflet over the server-rendered list.
 *
 * The page works without this script (a form and a list). With it, the sites become markers
 * coloured by level, the filters answer without a page load (the server renders the list as a
 * fragment: ?fragment=1), and "Near me" asks the browser for the phone's position (WGS-84, sent
 * with datum=wgs84; the server converts). Coordinates in the page's data are in the map's datum.
 */
(function () {
  "use strict";
  var form = document.getElementById("map-filters");
  var canvas = document.getElementById("map");
  var results = document.getElementById("map-results");
  if (!form || !canvas || !results || typeof L === "undefined") return;

  var map = L.map(canvas, { zoomControl: true, attributionControl: true, preferCanvas: false });
  var siteLayer = L.featureGroup().addTo(map);
  var townLayer = L.layerGroup().addTo(map);
  var hereLayer = L.layerGroup().addTo(map);
  var markers = {};
  var tilesAdded = false;
  var legendAdded = false;
  var levelColours = {};

  function colourOf(level) {
    if (!(level in levelColours)) {
      var probe = document.createElement("span");
      probe.className = "level-" + level;
      probe.style.display = "none";
      document.body.appendChild(probe);
      levelColours[level] = getComputedStyle(probe).getPropertyValue("--level").trim() || "#888";
      probe.remove();
    }
    return levelColours[level];
  }

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span.innerHTML;
  }

  function popupHtml(p) {
    var html = "<strong>" + text(p.name) + "</strong><br>" + text(p.level_label);
    if (p.distance) html += " · " + text(p.distance);
    html += "<br>" + text(p.address);
    if (p.hours) html += "<br>" + text(p.hours);
    if (p.phone) html += '<br><a href="tel:' + encodeURIComponent(p.phone.replace(/[\s-]/g, "")) + '">' + text(p.phone) + "</a>";
    return html;
  }

  function focusCard(id) {
    var card = results.querySelector('.site-card[data-site="' + id + '"]');
    if (!card) return;
    results.querySelectorAll(".site-card.focused").forEach(function (c) { c.classList.remove("focused"); });
    card.classList.add("focused");
    card.scrollIntoView({ behavior: "smooth", block: "nearest" });
  }

  function draw() {
    var node = document.getElementById("map-data");
    if (!node) return;
    var data = JSON.parse(node.textContent);
    if (data.tiles && !tilesAdded) {
      L.tileLayer(data.tiles, { maxZoom: 18, attribution: data.attribution || "" }).addTo(map);
      tilesAdded = true;
    }
    if (!legendAdded) addLegend(data.levels, data.features);
    siteLayer.clearLayers();
    townLayer.clearLayers();
    hereLayer.clearLayers();
    markers = {};
    (data.towns || []).forEach(function (t) {
      L.marker([t.lat, t.lng], { opacity: 0, interactive: false, keyboard: false })
        .bindTooltip(t.name, { permanent: true, direction: "center", className: "map-town-label" })
        .addTo(townLayer);
    });
    data.features.forEach(function (f) {
      var c = f.geometry.coordinates;
      var colour = colourOf(f.properties.level);
      var marker = L.circleMarker([c[1], c[0]], {
        radius: 9, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 0.95,
        className: "site-marker site-marker-" + f.properties.level,
      }).bindPopup(popupHtml(f.properties));
      marker.on("click", function () { focusCard(f.id); });
      drawRoute(f.properties.route, colour);
      marker.addTo(siteLayer);
      markers[f.id] = marker;
    });
    var bounds = siteLayer.getBounds();
    if (data.point) {
      var here = L.circleMarker([data.point.lat, data.point.lng], {
        radius: 7, color: "#0b57d0", weight: 3, fillColor: "#fff", fillOpacity: 1, className: "here-marker",
      });
      // A town's name is already on the map as a label; any other point gets its own.
      if (data.point.kind !== "town") {
        here.bindTooltip(data.point.label, { permanent: true, direction: "top", offset: [0, -8] });
      }
      here.addTo(hereLayer);
      bounds = bounds.isValid() ? bounds.extend(here.getLatLng()) : L.latLngBounds([here.getLatLng()]);
    }
    if (!bounds.isValid() && data.towns && data.towns.length) {
      bounds = L.latLngBounds(data.towns.map(function (t) { return [t.lat, t.lng]; }));
    }
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
    else map.setView([35.0, 105.0], 4);
    results.querySelectorAll(".show-on-map").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var marker = markers[button.dataset.site];
        if (!marker) return;
        canvas.scrollIntoView({ behavior: "smooth", block: "start" });
        map.setView(marker.getLatLng(), Math.max(map.getZoom(), 15));
        marker.openPopup();
      });
    });
  }

  // A mobile van's stops (以车代库): a dashed line in the van's colour, each stop with its times.
  function drawRoute(route, colour) {
    if (!route || !route.length) return;
    var points = route.map(function (stop) { return [stop.lat, stop.lng]; });
    L.polyline(points, { color: colour, weight: 3, dashArray: "6 6", interactive: false }).addTo(siteLayer);
    route.forEach(function (stop) {
      L.circleMarker([stop.lat, stop.lng], {
        radius: 5, color: colour, weight: 2, fillColor: "#fff", fillOpacity: 1, className: "route-stop",
      }).bindTooltip(text(stop.place) + (stop.when ? "<br>" + text(stop.when) : "")).addTo(siteLayer);
    });
  }

  function addLegend(levels, features) {
    var present = {};
    features.forEach(function (f) { present[f.properties.level] = true; });
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "map-legend");
      Object.keys(levels).forEach(function (level) {
        if (!present[level]) return;
        div.innerHTML += '<span class="level-' + level + '"><i></i>' + text(levels[level]) + "</span><br>";
      });
      return div;
    };
    legend.addTo(map);
    legendAdded = true;
  }

  var pending = null;
  function refresh(params) {
    var query = params.toString();
    var url = form.action + "?" + query;
    if (pending) pending.abort();
    pending = new AbortController();
    results.setAttribute("aria-busy", "true");
    fetch(url + (query ? "&" : "") + "fragment=1", { signal: pending.signal, headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        results.innerHTML = html;
        results.removeAttribute("aria-busy");
        history.replaceState(null, "", url);
        draw();
      })
      .catch(function (error) { if (error.name !== "AbortError") form.submit(); });
  }

  function formParams() {
    var params = new URLSearchParams(new FormData(form));
    Array.from(params.keys()).forEach(function (key) { if (!params.get(key)) params.delete(key); });
    return params;
  }

  function clearPoint() {
    ["lat", "lng", "datum"].forEach(function (name) { if (form.elements[name]) form.elements[name].value = ""; });
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "q") return;
    if (event.target.name === "jurisdiction") {
      // Another district has other towns: reload the whole page for its filters.
      clearPoint();
      form.elements.town.value = "";
      form.elements.q.value = "";
      form.submit();
      return;
    }
    refresh(formParams());
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (form.elements.q.value.trim()) clearPoint();
    refresh(formParams());
  });

  var locate = form.querySelector(".map-locate");
  var locateError = document.querySelector(".map-locate-error");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      if (locateError) locateError.hidden = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.elements.q.value = "";
          form.elements.lat.value = position.coords.latitude.toFixed(6);
          form.elements.lng.value = position.coords.longitude.toFixed(6);
          form.elements.datum.value = "wgs84";
          refresh(formParams());
        },
        function () { if (locateError) locateError.hidden = false; },
        { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 }
      );
    });
  }

  draw();
})();
