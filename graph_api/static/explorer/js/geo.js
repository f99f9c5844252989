// Distances between places the API locates (`location`, GeoNames coordinates): great-circle
// kilometres, so "nearest" means nearest on the ground, not nearest in the administrative tree.

const EARTH_KM = 6371.0088;
const rad = (deg) => (deg * Math.PI) / 180;

export function distanceKm(a, b) {
  const h = Math.sin(rad(b.lat - a.lat) / 2) ** 2
    + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lon - a.lon) / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.sqrt(Math.min(1, h)));
}

// A territory's own location; an organisation's is that of the first territory it serves that has one.
export function locationOf(node) {
  if (!node) return null;
  if (node.location) return node.location;
  return (node.territories || []).map((t) => t.location).find(Boolean) || null;
}

export const formatKm = (km) => `${km < 10 ? km.toFixed(1).replace('.', ',') : Math.round(km)} km`;

// Active adoptions grouped by adopter, nearest first (adopters without a location are left out),
// `home` itself excluded: [{ adopter, location, km, adoptions }].
export function nearestAdopters(home, adoptions, limit = 5) {
  const byAdopter = new Map();
  for (const a of adoptions) {
    if (a.adopter.id === home.id) continue;
    const location = locationOf(a.adopter);
    if (!location) continue;
    const entry = byAdopter.get(a.adopter.id)
      || { adopter: a.adopter, location, km: distanceKm(home.location, location), adoptions: [] };
    entry.adoptions.push(a);
    byAdopter.set(a.adopter.id, entry);
  }
  return [...byAdopter.values()].sort((x, y) => x.km - y.km || x.adopter.name.localeCompare(y.adopter.name, 'de'))
    .slice(0, limit);
}
