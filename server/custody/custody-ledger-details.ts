import type { TStepDetails } from "./decide-step";

/** A step's free text: what the ledger must not hold (it may name or describe a person). */
export type TCustodyFreeText = { place?: string; device?: string; reason?: string };

/**
 * Splits a step's details as recorded into what the permanent ledger may carry (times, readings,
 * ids, the policy's flags) and its free text, which goes into an erasable note the event commits to.
 */
export function splitCustodyDetails(d: TStepDetails): {
  ledger: Omit<TStepDetails, "location" | "deviceReading" | "reason"> & {
    location?: { lat: number; lon: number };
    deviceReading?: { temperatureC?: number; flowMlMin?: number; pressureMmHg?: number };
  };
  freeText: TCustodyFreeText | null;
} {
  const { location, deviceReading, reason, ...rest } = d;
  const freeText: TCustodyFreeText = {};
  const ledger: ReturnType<typeof splitCustodyDetails>["ledger"] = { ...rest };
  if (typeof location === "string") freeText.place = location;
  else if (location) {
    ledger.location = { lat: location.lat, lon: location.lon };
    if (location.label) freeText.place = location.label;
  }
  if (typeof deviceReading === "string") freeText.device = deviceReading;
  else if (deviceReading) {
    const { deviceId, ...readings } = deviceReading;
    ledger.deviceReading = readings;
    freeText.device = deviceId;
  }
  if (reason) freeText.reason = reason;
  return { ledger, freeText: Object.keys(freeText).length > 0 ? freeText : null };
}
