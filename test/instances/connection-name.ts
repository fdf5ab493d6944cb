/** The CLIENT SETNAME of every Redis connection of one run of an instance (instance-app.ts). */
export function instanceConnectionName(run: { name: string; run: number }): string {
  return `alicom-instance-${run.name}-${run.run}`;
}
