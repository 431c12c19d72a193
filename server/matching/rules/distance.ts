/** Mean Earth radius in nautical miles (6371.0088 km / 1.852). */
export const EARTH_RADIUS_NM = 3440.065;
const RAD = Math.PI / 180;

export type TLatLon = { lat: number; lon: number };

/** Great-circle (haversine) distance in nautical miles. Precondition: degrees, lat ±90, lon ±180. */
export function distanceNm(a: TLatLon, b: TLatLon): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_NM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Distances from one origin to many points: the origin's trigonometry once, and per point only
 * what depends on it. `cosLat` of a point can be precomputed at load (see `toRadiansPoint`).
 */
export function createDistanceFrom(origin: TLatLon): (p: TRadiansPoint) => number {
  const lat0 = origin.lat * RAD;
  const lon0 = origin.lon * RAD;
  const cos0 = Math.cos(lat0);
  return (p) => {
    const sLat = Math.sin((p.latRad - lat0) / 2);
    const sLon = Math.sin((p.lonRad - lon0) / 2);
    const h = sLat * sLat + cos0 * p.cosLat * sLon * sLon;
    return 2 * EARTH_RADIUS_NM * Math.asin(Math.min(1, Math.sqrt(h)));
  };
}

export type TRadiansPoint = { latRad: number; lonRad: number; cosLat: number };

/** Precomputes a point for `createDistanceFrom`. */
export function toRadiansPoint(p: TLatLon): TRadiansPoint {
  return { latRad: p.lat * RAD, lonRad: p.lon * RAD, cosLat: Math.cos(p.lat * RAD) };
}
