/** Module resolution hook registered by `scripts/server-only.mjs`: see there for why. */
export async function resolve(specifier, context, nextResolve) {
  if (specifier !== "server-only") return nextResolve(specifier, context);
  // The package's own `react-server` export (its empty module), as Next resolves it for server code.
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, "react-server"] });
}
