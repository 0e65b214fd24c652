// Impossible travel: two sign-ins of one user further apart than any flight could take them in the time between.

/** Where and when (epoch ms) a user signed in. */
export interface Location {
  lat: number;
  lon: number;
  at: number;
}

const EARTH_RADIUS_KM = 6371.0088;
const toRad = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance (haversine). */
export function haversineKm(a: Pick<Location, 'lat' | 'lon'>, b: Pick<Location, 'lat' | 'lon'>): number {
  const dLat = toRad(b.lat - a.lat);
  const dLon = toRad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Speed the two sign-ins imply; a zero interval between distinct places is infinitely fast. */
export function impliedKmh(from: Location, to: Location): number {
  const km = haversineKm(from, to);
  const hours = Math.abs(to.at - from.at) / 3_600_000;
  if (hours === 0) return km > 1 ? Number.POSITIVE_INFINITY : 0;
  return km / hours;
}

export function isImpossibleTravel(from: Location | null, to: Location, maxKmh: number): boolean {
  return from !== null && impliedKmh(from, to) > maxKmh;
}
